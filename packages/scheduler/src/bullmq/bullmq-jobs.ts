import {
  ActionError,
  toProblem,
  type JobRequest,
  type JobRunner,
  type JobState,
  type JobStatus,
  type Problem,
} from '@servey/core'
import type { Job, Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import { idempotencyKeyReused, jobIdFor, sameParams } from '../job-id.ts'
import { jsonBytes, payloadTooLarge } from '../job-payload-limit.ts'
import { storableAuthorization } from '../system-authorization.ts'
import {
  cancelChannel,
  cancelKey,
  decodeProblem,
  type BullmqNames,
  type CallJobData,
  type ServeyJobData,
} from './job-data.ts'

export interface BullmqJobsOptions {
  readonly queue: Queue<ServeyJobData>
  /** For the cancel flags and the cancel channel. */
  readonly redis: Redis
  readonly names: BullmqNames
  readonly retentionMs: number
  /** Tries per job; retryable failures retry with exponential backoff. */
  readonly attempts: number
  readonly backoffMs: number
  /**
   * Largest job data in bytes of JSON, refused at enqueue with JOB_PAYLOAD_TOO_LARGE. BullMQ
   * checks it (`sizeLimit`) on the JSON it writes to Redis, so the job is serialized once.
   */
  readonly maxPayload: number
}

// What BullMQ throws from `add` when the data is over `sizeLimit`, before anything is sent.
const SIZE_LIMIT_ERROR = /^The size of job .* exceeds the limit \d+ bytes$/s

/** A chain as Redis keeps it: every link's authorization in its stored form. */
function storableChain(request: JobRequest): JobRequest {
  return {
    ...request,
    authorization: storableAuthorization(request.authorization),
    ...(request.next === undefined ? {} : { next: storableChain(request.next) }),
  }
}

function cancelledProblem(id: string): Problem {
  return toProblem(new ActionError('CANCELLED', 'The job was cancelled'), { requestId: id })
}

function progressOf(job: Job): number {
  return typeof job.progress === 'number' ? job.progress : 0
}

type BullState = Awaited<ReturnType<Job['getState']>>

function stateOf(job: Job<ServeyJobData>, state: BullState, cancelled: boolean): JobState {
  const data = job.data as CallJobData
  const base = {
    id: job.id ?? '',
    action: data.action,
    progress: progressOf(job),
    subject: data.authorization?.subject ?? null,
    createdAt: new Date(job.timestamp).toISOString(),
  }
  const finishedAt =
    job.finishedOn === undefined ? {} : { finishedAt: new Date(job.finishedOn).toISOString() }
  if (state === 'completed') {
    return {
      ...base,
      ...finishedAt,
      status: 'succeeded',
      progress: 100,
      result: job.returnvalue ?? null,
    }
  }
  if (state === 'failed') {
    const error = decodeProblem(job.failedReason)
    const status: JobStatus = error.code === 'CANCELLED' ? 'cancelled' : 'failed'
    return { ...base, ...finishedAt, status, error }
  }
  if (state === 'active') return { ...base, status: cancelled ? 'cancelled' : 'running' }
  return { ...base, status: cancelled ? 'cancelled' : 'queued' }
}

/** Jobs on a BullMQ queue: they survive restarts and any `servey worker` may run them. */
export function createBullmqJobs(options: BullmqJobsOptions): JobRunner {
  const { queue, redis, names } = options
  const retention = { age: Math.ceil(options.retentionMs / 1000) }

  // Commands wait in ioredis's offline queue while Redis is away (the workers need that to
  // resume by themselves). A caller must not: a job answered 202 only after Redis returns, or
  // never, looks lost, and a retry of a timed-out request would add it twice. So a request
  // made while the connection is down is refused at once, retryable, before anything is sent.
  // The queue's own connection goes to the same server and drops and returns with this one.
  const reachable = (status: string = redis.status): void => {
    if (status === 'ready') return
    throw new ActionError(
      'UNAVAILABLE',
      'The job store (Redis) does not answer: nothing was done; retry shortly',
    )
  }

  // ioredis keeps a command that was sent when the connection dropped and sends it again once
  // Redis is back, so an `add` caught by an outage neither fails nor answers until then: the
  // caller would get its 202 late or time out, and a retry would add a second job. The add is
  // therefore given up, as UNAVAILABLE, when the queue's connection closes under it. It may
  // still be stored once Redis returns: a retry with the same idempotency key finds that job
  // instead of adding another (see jobIdFor).
  // Reads (`get`) and `cancel` are given up the same way, as they would wait just as long.
  // One listener on the connection for every call in flight, not one each: fourteen concurrent
  // calls passed the connection's listener limit and Node warned of a leak.
  const inFlight = new Set<() => void>()
  let connection: ReturnType<Queue['getBackend']>['client'] | undefined
  const queueConnection = () =>
    (connection ??= queue.getBackend().client.then(
      (client) => {
        client.on('close', () => {
          for (const lost of inFlight) lost()
          inFlight.clear()
        })
        return client
      },
      (error: unknown) => {
        // Not kept: the next call asks for the connection again.
        connection = undefined
        throw error
      },
    ))
  const whileConnected = async <T>(send: () => Promise<T>, whatWasLost: string): Promise<T> => {
    const client = await queueConnection()
    // Lost already (the scheduler's own connection may not have seen it yet): nothing is sent.
    reachable(client.status)
    return new Promise<T>((resolve, reject) => {
      const lost = (): void =>
        reject(new ActionError('UNAVAILABLE', `The job store (Redis) went away ${whatWasLost}`))
      inFlight.add(lost)
      send().then(
        (value) => {
          inFlight.delete(lost)
          resolve(value)
        },
        (error: unknown) => {
          inFlight.delete(lost)
          reject(error)
        },
      )
    })
  }

  // The state is read before the job, so the job read is at least as recent: a job that
  // completes in between shows as running, never as completed without its result.
  // The state and the job are two reads, and a worker may take the job between them: read
  // alone, a job could show progress 30 while still 'queued'. The state is read again after
  // the job; when both reads agree, the job was read in that state. The state is read first
  // so that a job seen completed always comes with its result.
  const find = async (
    id: string,
  ): Promise<{ job: Job<ServeyJobData>; state: BullState } | undefined> => {
    let state = await queue.getJobState(id)
    for (let read = 1; ; read++) {
      const job = await queue.getJob(id)
      // Schedule ticks share the queue but are no one's handle; their ids are guessable.
      if (job === undefined || job === null || job.data.kind !== 'call') return undefined
      const after = await queue.getJobState(id)
      // A job that keeps moving is shown as first read: a state at most a moment old.
      if (after === state || read === 3) return { job, state }
      state = after
    }
  }

  /** The record a cancelled queued job leaves behind when it is removed. */
  const tombstone = async (id: string): Promise<JobState | undefined> => {
    const record = await redis.get(cancelKey(names, id))
    return record === null || record === '1' ? undefined : (JSON.parse(record) as JobState)
  }

  const cancelJob = async (id: string): Promise<JobState | undefined> => {
    const found = await find(id)
    if (found === undefined) return tombstone(id)
    const { job, state } = found
    if (state === 'completed' || state === 'failed') return stateOf(job, state, false)
    if (state !== 'active') {
      // Not started: take it off the queue, and keep a record of it in its place. BullMQ
      // refuses when a worker has just taken the job; then the message below stops it.
      try {
        await job.remove()
        const cancelled: JobState = {
          ...stateOf(job, state, true),
          finishedAt: new Date().toISOString(),
          error: cancelledProblem(id),
        }
        await redis.set(cancelKey(names, id), JSON.stringify(cancelled), 'PX', options.retentionMs)
        return cancelled
      } catch {
        // Taken meanwhile: it is running now.
      }
    }
    // Reads as cancelled from now on; the worker running it, wherever it is, aborts the
    // handler's signal and the job ends as CANCELLED.
    await redis.set(cancelKey(names, id), '1', 'PX', options.retentionMs)
    await redis.publish(cancelChannel(names), id)
    return stateOf(job, state, true)
  }

  return {
    async enqueue(request: JobRequest) {
      reachable()
      const id = jobIdFor(request)
      const data: CallJobData = {
        kind: 'call',
        action: request.action,
        params: request.params,
        authorization: storableAuthorization(request.authorization),
        ...(request.callback === undefined ? {} : { callback: request.callback }),
        ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
        ...(request.next === undefined ? {} : { next: storableChain(request.next) }),
      }
      const store = async (): Promise<string> => {
        const keyed = request.idempotencyKey !== undefined
        // A retry under a key whose job was cancelled before it started: that job.
        if (keyed && (await redis.exists(cancelKey(names, id))) === 1) return id
        try {
          await queue.add(request.action, data, {
            jobId: id,
            sizeLimit: options.maxPayload,
            attempts: request.attempts ?? options.attempts,
            backoff: { type: 'exponential', delay: request.backoffMs ?? options.backoffMs },
            ...(request.delayMs === undefined ? {} : { delay: request.delayMs }),
            removeOnComplete: retention,
            removeOnFail: retention,
          })
        } catch (error) {
          if (error instanceof Error && SIZE_LIMIT_ERROR.test(error.message)) {
            // Measured again only to say by how much: a refusal is rare, an enqueue is not.
            throw payloadTooLarge(jsonBytes(data), options.maxPayload)
          }
          throw error
        }
        if (keyed) {
          // BullMQ adds nothing under an id it already holds: the job read back is the first
          // one asked under this key, and a retry must have asked for the same.
          const stored = await queue.getJob(id)
          const storedParams = stored?.data.kind === 'call' ? stored.data.params : undefined
          if (stored && !sameParams(storedParams, data.params)) throw idempotencyKeyReused(request)
        }
        return id
      }
      return whileConnected(
        store,
        'while the job was being stored: it may still be stored once Redis is back. Retry ' +
          'with the same Idempotency-Key to be sure of one job',
      )
    },

    async get(id) {
      reachable()
      return whileConnected(async () => {
        const found = await find(id)
        if (found === undefined) return tombstone(id)
        const cancelled = (await redis.exists(cancelKey(names, id))) === 1
        return stateOf(found.job, found.state, cancelled)
      }, 'while the job was being read: nothing was changed; retry shortly')
    },

    async cancel(id) {
      reachable()
      return whileConnected(
        () => cancelJob(id),
        'while the job was being cancelled: ask again shortly to see whether it was',
      )
    },
  }
}
