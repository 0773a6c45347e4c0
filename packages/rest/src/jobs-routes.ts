import {
  ActionError,
  canSeeJob,
  checkCancellable,
  toActionError,
  type Invoker,
  type JobState,
} from '@servey/core/adapter'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { HttpHandler } from '@servey/http'
import type { RestJobsOptions } from './plugin.ts'
import { sendProblem } from './problem-reply.ts'

function notFound(id: string): ActionError {
  return new ActionError('NOT_FOUND', `No job ${id}`)
}

/** `GET /jobs/:id` (status, progress, result or problem) and `DELETE /jobs/:id` (cancel). */
export function registerJobRoutes(
  app: FastifyInstance,
  http: HttpHandler,
  invoker: Invoker,
  jobs: RestJobsOptions,
): void {
  const adminScope = jobs.adminScope ?? 'admin'

  const load = async (request: FastifyRequest): Promise<JobState> => {
    const { id } = request.params as { id: string }
    const caller = await invoker.authenticate(request.headers.authorization)
    const job = await jobs.runner.get(id)
    // Someone else's job answers like no job at all, so ids cannot be probed.
    if (job === undefined || !canSeeJob(job, caller, adminScope)) throw notFound(id)
    return job
  }

  const fail = (request: FastifyRequest, reply: FastifyReply, thrown: unknown) => {
    const error = toActionError(thrown)
    if (error.status >= 500) request.log.error({ err: thrown }, 'job lookup failed')
    return sendProblem(http, request, reply, error)
  }

  app.get('/jobs/:id', async (request, reply) => {
    try {
      const job = await load(request)
      if (job.status === 'queued' || job.status === 'running') reply.header('retry-after', '1')
      return reply.header('cache-control', 'no-store').send(job)
    } catch (thrown) {
      return fail(request, reply, thrown)
    }
  })

  app.delete('/jobs/:id', async (request, reply) => {
    try {
      const job = await load(request)
      checkCancellable(job)
      const cancelled = (await jobs.runner.cancel(job.id)) ?? job
      return reply.header('cache-control', 'no-store').send(cancelled)
    } catch (thrown) {
      return fail(request, reply, thrown)
    }
  })
}
