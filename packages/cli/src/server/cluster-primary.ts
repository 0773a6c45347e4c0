import cluster, { type Worker } from 'node:cluster'
import type { Logger } from '@servey/core'
import { SHUTDOWN_MESSAGE } from './shutdown-message.ts'

export interface ClusterOptions {
  readonly count: number
  readonly log: Logger
  readonly env: NodeJS.ProcessEnv
  /** How long a worker may take to shut down before it is killed. */
  readonly stopTimeoutMs: number
}

const MAX_BACKOFF_MS = 30_000

/**
 * `servey start --workers N`: the primary of a node:cluster. It serves nothing itself: it
 * forks N workers that each run the whole server on the shared port, replaces one that dies
 * (with a backoff while they keep dying), restarts them one at a time on SIGHUP (a new worker
 * listens before an old one stops, so no request fails), and on SIGTERM or SIGINT asks every
 * worker to shut down gracefully and exits once they have.
 *
 * Workers are told to stop by an IPC message, not a signal: Ctrl-C in a terminal already
 * signals every process of the group, and a worker treats a second signal as "exit now".
 */
export async function runClusterPrimary(options: ClusterOptions): Promise<number> {
  const { count, log } = options
  // Exits that are not deaths: workers asked to stop, and workers still starting (their
  // fork() reports a failure to whoever forked them).
  const retiring = new Set<Worker>()
  const starting = new Set<Worker>()
  let stopping = false
  let rolling = false
  let recentCrashes = 0

  const fork = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork(options.env)
      starting.add(worker)
      const onListening = (): void => {
        starting.delete(worker)
        worker.off('exit', onExit)
        resolve(worker)
      }
      const onExit = (code: number | null, signal: string | null): void => {
        starting.delete(worker)
        worker.off('listening', onListening)
        reject(
          new Error(
            `worker ${String(worker.process.pid)} exited before it listened (${signal ?? `code ${String(code)}`})`,
          ),
        )
      }
      worker.once('listening', onListening)
      worker.once('exit', onExit)
    })

  const stop = (worker: Worker): Promise<number> =>
    new Promise((resolve) => {
      if (worker.isDead()) {
        resolve(worker.process.exitCode ?? 0)
        return
      }
      retiring.add(worker)
      const timer = setTimeout(() => {
        log.warn(
          { pid: worker.process.pid },
          'worker did not shut down in time: killing it (SIGKILL)',
        )
        worker.process.kill('SIGKILL')
      }, options.stopTimeoutMs)
      worker.once('exit', (code: number | null) => {
        clearTimeout(timer)
        resolve(code ?? 1)
      })
      if (worker.isConnected()) worker.send({ type: SHUTDOWN_MESSAGE })
      else worker.process.kill('SIGTERM')
    })

  const replace = (): void => {
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** recentCrashes)
    recentCrashes += 1
    setTimeout(() => {
      if (stopping) return
      fork().then(
        (worker) => {
          log.info({ pid: worker.process.pid }, 'replacement worker listening')
          // A worker that stayed up a minute ends the crash streak.
          setTimeout(() => (recentCrashes = Math.max(0, recentCrashes - 1)), 60_000).unref()
        },
        (error: Error) => {
          log.error({}, `replacement failed to start (${error.message}): trying again`)
          replace()
        },
      )
    }, delay).unref()
  }

  const onDeath = (worker: Worker, code: number | null, signal: string | null): void => {
    if (stopping || retiring.delete(worker) || starting.has(worker)) return
    log.error(
      { pid: worker.process.pid, code, signal },
      'worker died: starting another in its place',
    )
    replace()
  }

  try {
    await Promise.all(Array.from({ length: count }, () => fork()))
  } catch (error) {
    // The worker has printed why (a bad entry, a port in use...): starting more would only
    // print it again.
    log.error({}, `${(error as Error).message}: stopping the others`)
    stopping = true
    await Promise.all(Object.values(cluster.workers ?? {}).flatMap((w) => (w ? [stop(w)] : [])))
    return 1
  }
  cluster.on('exit', onDeath)
  const pids = Object.values(cluster.workers ?? {}).map((worker) => worker?.process.pid)
  log.info({ workers: pids }, `servey start: ${count} workers listening`)

  const rollingRestart = async (): Promise<void> => {
    if (rolling || stopping) return
    rolling = true
    log.info({}, 'SIGHUP: restarting the workers one at a time')
    try {
      for (const old of Object.values(cluster.workers ?? {})) {
        if (old === undefined || stopping) continue
        const fresh = await fork()
        log.info({ pid: fresh.process.pid, replaces: old.process.pid }, 'new worker listening')
        await stop(old)
      }
      log.info({}, 'rolling restart done')
    } catch (error) {
      log.error(
        {},
        `rolling restart stopped, the old workers keep serving: ${(error as Error).message}`,
      )
    } finally {
      rolling = false
    }
  }
  process.on('SIGHUP', () => void rollingRestart())

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (received: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      // A second signal while the workers drain means "now".
      const now = (): void => {
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL')
        process.exit(130)
      }
      process.once('SIGINT', now)
      process.once('SIGTERM', now)
      resolve(received)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
  stopping = true
  log.info({ signal }, 'shutting down: every worker finishes its requests and jobs')
  const codes = await Promise.all(
    Object.values(cluster.workers ?? {}).flatMap((worker) => (worker ? [stop(worker)] : [])),
  )
  return codes.every((code) => code === 0) ? 0 : 1
}
