import {
  ActionError,
  checkCallbackUrl,
  toActionError,
  type CallbackUrlPolicy,
  type InvokeRequest,
  type Invoker,
  type JobCallback,
  type JobRunner,
  type RegisteredAction,
} from '@servey/core/adapter'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { sendProblem } from './problem-reply.ts'

/** Background calls over HTTP: `Prefer: respond-async`, callbacks and `/jobs/<id>`. */
export interface RestJobsOptions {
  /** Runs the jobs: `startScheduler(...).jobs` from `@servey/scheduler`, or your own. */
  readonly runner: JobRunner
  /** The SSRF rules for callback URLs (hosts or CIDRs allowed although not public). */
  readonly callbackPolicy?: CallbackUrlPolicy
  /** A scope that may read and cancel anyone's jobs. Default `admin`. */
  readonly adminScope?: string
}

const CALLBACK_METHODS = new Set(['POST', 'PUT', 'PATCH'])

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

/** RFC 7240: `Prefer: respond-async, wait=10` (several preferences, any order and case). */
export function prefersAsync(prefer: string | undefined): boolean {
  if (prefer === undefined) return false
  return prefer
    .split(',')
    .some((item) => item.split(';')[0]?.trim().toLowerCase() === 'respond-async')
}

/** Whether this request runs as a job: the action says always, or the client asks. */
export function wantsAsync(action: RegisteredAction, request: FastifyRequest): boolean {
  const { always, callbackHeaders } = action.definition.async
  return (
    always ||
    prefersAsync(header(request, 'prefer')) ||
    header(request, callbackHeaders.url) !== undefined
  )
}

async function readCallback(
  action: RegisteredAction,
  request: FastifyRequest,
  policy: CallbackUrlPolicy,
): Promise<JobCallback | undefined> {
  const names = action.definition.async.callbackHeaders
  const url = header(request, names.url)
  if (url === undefined) return undefined
  const method = (header(request, names.method) ?? 'POST').toUpperCase()
  if (!CALLBACK_METHODS.has(method)) {
    throw new ActionError(
      'BAD_REQUEST',
      `${names.method} must be POST, PUT or PATCH, not ${method}`,
    )
  }
  const checked = await checkCallbackUrl(url, policy)
  const key = header(request, names.key)
  return { url: checked.href, method, ...(key === undefined || key === '' ? {} : { key }) }
}

/**
 * Answer 202 with `Location: /jobs/<id>` once the call is admitted: the token, access and
 * params are checked now (a job never runs as someone it should not), and so is the
 * callback URL, before anything is queued.
 */
export async function startAsyncCall(
  invoker: Invoker,
  jobs: RestJobsOptions,
  action: RegisteredAction,
  invokeRequest: InvokeRequest,
  request: FastifyRequest,
  reply: FastifyReply,
  dev: boolean,
): Promise<FastifyReply> {
  const admitted = await invoker.admit(invokeRequest)
  if (!admitted.ok) return sendProblem(request, reply, admitted.error, dev)
  let id: string
  try {
    const callback = await readCallback(action, request, jobs.callbackPolicy ?? {})
    id = await jobs.runner.enqueue({
      action: action.name,
      params: admitted.params,
      authorization: admitted.authorization,
      requestId: request.id,
      ...(callback === undefined ? {} : { callback }),
    })
  } catch (thrown) {
    const error = toActionError(thrown)
    if (error.status >= 500)
      request.log.error({ err: thrown, action: action.name }, 'could not start a job')
    return sendProblem(request, reply, error, dev)
  }
  if (prefersAsync(header(request, 'prefer'))) reply.header('preference-applied', 'respond-async')
  const location = `/jobs/${id}`
  return reply
    .code(202)
    .header('location', location)
    .send({ id, action: action.name, status: 'queued', location })
}
