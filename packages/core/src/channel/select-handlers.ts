import type { Authorization } from '../action/context.ts'
import type { HandlerFilter } from './channel-handler.ts'

interface Selectable {
  readonly index: number
  readonly group: number
  readonly filter: HandlerFilter | undefined
  readonly stop: boolean | HandlerFilter
}

/** Called when a filter or a stop predicate throws; the handler then does not match / stop. */
export type PredicateError = (error: unknown, handler: Selectable, what: 'filter' | 'stop') => void

function holds(
  predicate: HandlerFilter,
  handler: Selectable,
  what: 'filter' | 'stop',
  event: unknown,
  publisher: Authorization | null,
  onError: PredicateError,
): boolean {
  try {
    return predicate(event, publisher) === true
  } catch (error) {
    onError(error, handler, what)
    return false
  }
}

/**
 * The handlers an event goes to, in the order they are dispatched (AsyncAPY's rules):
 * - groups are visited in ascending order, negative first;
 * - within a group, handlers are tried in declaration order and only the first whose filter
 *   matches (a handler without a filter always matches) is taken;
 * - a taken handler whose `stop` holds ends the walk: no later group is visited.
 * Filters see the event and the publisher's authorization; one that throws does not match.
 */
export function selectHandlers<THandler extends Selectable>(
  handlers: readonly THandler[],
  event: unknown,
  publisher: Authorization | null,
  onError: PredicateError = () => undefined,
): THandler[] {
  if (handlers.length === 0) return []
  const groups = new Map<number, THandler[]>()
  for (const handler of handlers) {
    const group = groups.get(handler.group)
    if (group === undefined) groups.set(handler.group, [handler])
    else group.push(handler)
  }
  const selected: THandler[] = []
  for (const group of [...groups.keys()].sort((a, b) => a - b)) {
    const members = (groups.get(group) ?? []).sort((a, b) => a.index - b.index)
    const taken = members.find(
      (handler) =>
        handler.filter === undefined ||
        holds(handler.filter, handler, 'filter', event, publisher, onError),
    )
    if (taken === undefined) continue
    selected.push(taken)
    const stop =
      typeof taken.stop === 'boolean'
        ? taken.stop
        : holds(taken.stop, taken, 'stop', event, publisher, onError)
    if (stop) break
  }
  return selected
}
