import {
  ActionError,
  isRetryable,
  systemAuthorization,
  type Invoker,
  type Logger,
} from '@servey/core/adapter'
import { isScheduleInput } from './event-kind.ts'
import { LambdaInvocationError } from './invocation-error.ts'
import { schedulesOf, type ScheduleTriggerData } from './schedule-trigger-data.ts'

export interface ScheduleTarget {
  readonly invoker: Invoker
  readonly action: string | undefined
  readonly log: Logger
  readonly requestId: string | undefined
}

function scheduleOf(
  event: Record<string, unknown>,
  target: ScheduleTarget,
): { action: string; index: number; trigger: ScheduleTriggerData } {
  // `servey sls` puts `{ servey: 'schedule', action, schedule }` on each schedule as its input;
  // a bare EventBridge event is accepted for a function whose action has exactly one schedule.
  const fromInput = isScheduleInput(event)
  const name = fromInput ? event['action'] : target.action
  if (typeof name !== 'string') {
    throw new ActionError('BAD_REQUEST', 'A scheduled event must name its action')
  }
  const action = target.invoker.registry.get(name)
  if (action === undefined) throw new ActionError('UNKNOWN_ACTION', `No action is named '${name}'`)
  const schedules = schedulesOf(action)
  const index = fromInput ? event['schedule'] : schedules.length === 1 ? 0 : undefined
  const trigger = typeof index === 'number' ? schedules[index] : undefined
  if (trigger === undefined || typeof index !== 'number') {
    throw new ActionError(
      'BAD_REQUEST',
      `Action ${name} has ${schedules.length} schedules; the event does not say which one fired`,
    )
  }
  return { action: name, index, trigger }
}

/**
 * An EventBridge schedule: the action runs with the schedule's params as the system, with the
 * schedule's scopes, exactly as the in-process and BullMQ schedulers run it. A failure that is
 * worth retrying is thrown, so Lambda's asynchronous retries run it again; any other failure
 * is logged and the invocation ends, since running it again would fail the same way.
 */
export async function runScheduled(
  event: Record<string, unknown>,
  target: ScheduleTarget,
): Promise<{ readonly ok: boolean; readonly code?: string }> {
  let scheduled
  try {
    scheduled = scheduleOf(event, target)
  } catch (error) {
    const failure = error as ActionError
    target.log.error({ code: failure.code, err: failure }, failure.message)
    return { ok: false, code: failure.code }
  }
  const { action, index, trigger } = scheduled
  const log = target.log.child({ action, schedule: index })
  // The same on Lambda's retries of this event, like the in-process scheduler's tick.
  const runTrigger: ScheduleTriggerData & { readonly tick: string } = {
    ...trigger,
    tick: `${action}#${index}@${target.requestId ?? Date.now()}`,
  }
  const outcome = await target.invoker.invoke({
    action,
    input: structuredClone(trigger.params),
    authorization: systemAuthorization(trigger.scopes),
    trigger: runTrigger,
    log,
    ...(target.requestId === undefined ? {} : { requestId: target.requestId }),
  })
  if (outcome.ok) return { ok: true }
  log.error({ code: outcome.error.code, err: outcome.error }, `scheduled run of ${action} failed`)
  if (isRetryable(outcome.error)) {
    throw new LambdaInvocationError(outcome.error, target.requestId)
  }
  return { ok: false, code: outcome.error.code }
}
