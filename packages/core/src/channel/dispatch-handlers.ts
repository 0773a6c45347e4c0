import type { Authorization } from '../action/context.ts'
import { ActionError } from '../errors/action-error.ts'
import type { JobRequest } from '../jobs/job-runner.ts'
import type { Logger } from '../log/logger.ts'
import { systemAuthorization } from '../security/system-authorization.ts'
import type { ChannelEnvelope } from './channel.ts'
import { describeHandler } from './channel-handler.ts'
import type { ChannelHandlerRuntime } from './handler-runtime.ts'
import type { RegisteredChannel, RegisteredHandler } from './registered-channel.ts'
import { selectHandlers } from './select-handlers.ts'

const nameOf = (handler: RegisteredHandler): string =>
  describeHandler(handler, handler.kind === 'action' ? handler.actionName : undefined)

/**
 * Pick the handlers an event goes to and check, before the event is stored, that this process
 * can reach every one of them: a missing port is refused up front rather than after the
 * subscribers already saw the event.
 */
export function planHandlers(
  channel: RegisteredChannel,
  event: unknown,
  publisher: Authorization | null,
  runtime: ChannelHandlerRuntime | undefined,
  log: Logger,
): RegisteredHandler[] {
  const selected = selectHandlers(channel.handlers, event, publisher, (error, handler, what) =>
    log.error(
      { err: error, channel: channel.name, handler: nameOf(handler as RegisteredHandler) },
      `channel handler ${what} threw; it counts as false`,
    ),
  )
  for (const handler of selected) {
    const port = handler.kind === 'action' ? runtime?.jobs : runtime?.webhooks
    if (port === undefined) {
      throw new ActionError(
        'UNAVAILABLE',
        `Channel ${channel.name} has a ${handler.kind} handler, but this process has no ${
          handler.kind === 'action' ? 'job runner' : 'webhook sender'
        } for it (servey dev, start, worker and run provide both)`,
      )
    }
  }
  return selected
}

/**
 * Hand the event to the planned handlers: webhooks go to the webhook sender at once, in group
 * order; background actions are enqueued as one chain of jobs, each group's job starting when
 * the previous one has finished. Every handler is tried; if any could not be reached, the
 * publish rejects (after the subscribers got the event) with the first failure.
 */
export async function dispatchHandlers(
  channel: RegisteredChannel,
  planned: readonly RegisteredHandler[],
  envelope: ChannelEnvelope,
  publisher: Authorization | null,
  runtime: ChannelHandlerRuntime,
  log: Logger,
): Promise<void> {
  let failure: ActionError | undefined
  const fail = (handler: RegisteredHandler, error: unknown): void => {
    const coded =
      error instanceof ActionError
        ? error
        : new ActionError(
            'UNAVAILABLE',
            `Event ${envelope.id} of channel ${channel.name} was published, but ${nameOf(handler)} could not be reached`,
            { cause: error },
          )
    log.error(
      { err: error, channel: channel.name, id: envelope.id, handler: nameOf(handler) },
      'channel handler not dispatched',
    )
    failure ??= coded
  }
  const jobs: Array<{ handler: RegisteredHandler; request: JobRequest }> = []
  for (const handler of planned) {
    if (handler.kind === 'webhook') {
      try {
        await runtime.webhooks!.send({
          url: handler.url,
          headers: handler.headers,
          envelope,
          ...(handler.timeoutMs === undefined ? {} : { timeoutMs: handler.timeoutMs }),
          ...(handler.attempts === undefined ? {} : { attempts: handler.attempts }),
          ...(handler.backoffMs === undefined ? {} : { backoffMs: handler.backoffMs }),
        })
      } catch (error) {
        fail(handler, error)
      }
      continue
    }
    let params: unknown
    try {
      params =
        handler.params === undefined
          ? envelope.event
          : handler.params(envelope.event, { channel: channel.name, id: envelope.id, publisher })
    } catch (error) {
      fail(
        handler,
        new ActionError('INTERNAL', `The params mapping of ${nameOf(handler)} threw`, {
          cause: error,
        }),
      )
      continue
    }
    jobs.push({
      handler,
      request: {
        action: handler.actionName,
        params,
        authorization: systemAuthorization(handler.scopes),
        requestId: `${channel.name}:${envelope.id}:${handler.index}`,
        ...(handler.delayMs === undefined ? {} : { delayMs: handler.delayMs }),
        ...(handler.attempts === undefined ? {} : { attempts: handler.attempts }),
        ...(handler.backoffMs === undefined ? {} : { backoffMs: handler.backoffMs }),
      },
    })
  }
  // One handler per group, in group order: each job starts once the previous group's has
  // finished, so the chain is enqueued as one request carrying the rest.
  const chain = jobs.reduceRight<JobRequest | undefined>(
    (next, { request }) => (next === undefined ? request : { ...request, next }),
    undefined,
  )
  if (chain !== undefined) {
    try {
      await runtime.jobs!.enqueue(chain)
    } catch (error) {
      fail(jobs[0]!.handler, error)
    }
  }
  if (failure !== undefined) throw failure
}
