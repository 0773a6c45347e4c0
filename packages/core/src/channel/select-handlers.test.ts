import { describe, expect, it } from 'vitest'
import type { Authorization } from '../action/context.ts'
import type { HandlerFilter } from './channel-handler.ts'
import { selectHandlers } from './select-handlers.ts'

interface Spec {
  readonly name: string
  readonly group?: number
  readonly filter?: HandlerFilter
  readonly stop?: boolean | HandlerFilter
}

const handlersOf = (specs: readonly Spec[]) =>
  specs.map((spec, index) => ({
    name: spec.name,
    index,
    group: spec.group ?? 0,
    filter: spec.filter,
    stop: spec.stop ?? false,
  }))

const pick = (specs: readonly Spec[], event: unknown, publisher: Authorization | null = null) =>
  selectHandlers(handlersOf(specs), event, publisher).map((handler) => handler.name)

const admin: Authorization = { subject: 'root', scopes: ['admin'], claims: {} }

describe('selectHandlers (AsyncAPY rules)', () => {
  it('visits groups in ascending order, negative first, whatever the declaration order', () => {
    expect(
      pick(
        [
          { name: 'g10', group: 10 },
          { name: 'g0', group: 0 },
          { name: 'g-5', group: -5 },
          { name: 'g1', group: 1 },
        ],
        {},
      ),
    ).toEqual(['g-5', 'g0', 'g1', 'g10'])
  })

  it('runs only the first handler of a group whose filter matches, in declaration order', () => {
    const specs: Spec[] = [
      { name: 'big', filter: (event) => (event as { n: number }).n > 100 },
      { name: 'even', filter: (event) => (event as { n: number }).n % 2 === 0 },
      { name: 'fallback' },
      { name: 'never-reached' },
    ]
    expect(pick(specs, { n: 1000 })).toEqual(['big'])
    expect(pick(specs, { n: 4 })).toEqual(['even'])
    expect(pick(specs, { n: 3 })).toEqual(['fallback'])
  })

  it('skips a group where no filter matches, and goes on with the next group', () => {
    expect(
      pick(
        [
          { name: 'a', group: 0, filter: () => false },
          { name: 'b', group: 1 },
        ],
        {},
      ),
    ).toEqual(['b'])
  })

  it('filters see the publisher: an authorization, or null when there is none', () => {
    const specs: Spec[] = [
      {
        name: 'admin-only',
        filter: (_event, publisher) => publisher?.scopes.includes('admin') === true,
      },
      { name: 'anyone', group: 1, filter: (_event, publisher) => publisher === null },
    ]
    expect(pick(specs, {}, admin)).toEqual(['admin-only'])
    expect(pick(specs, {}, null)).toEqual(['anyone'])
  })

  it('a taken handler with stop ends the walk: no later group runs', () => {
    const specs: Spec[] = [
      {
        name: 'guard',
        group: -1,
        filter: (event) => (event as { spam: boolean }).spam,
        stop: true,
      },
      { name: 'audit', group: -1 },
      { name: 'work', group: 0 },
      { name: 'notify', group: 1 },
    ]
    expect(pick(specs, { spam: true })).toEqual(['guard'])
    expect(pick(specs, { spam: false })).toEqual(['audit', 'work', 'notify'])
  })

  it('stop may be a predicate on the event and the publisher', () => {
    const specs: Spec[] = [
      { name: 'first', stop: (_event, publisher) => publisher?.subject === 'root' },
      { name: 'second', group: 1 },
    ]
    expect(pick(specs, {}, admin)).toEqual(['first'])
    expect(pick(specs, {}, null)).toEqual(['first', 'second'])
  })

  it('a stop on a handler that did not run stops nothing', () => {
    expect(
      pick(
        [
          { name: 'stopper', filter: () => false, stop: true },
          { name: 'later', group: 1 },
        ],
        {},
      ),
    ).toEqual(['later'])
  })

  it('a filter or stop that throws counts as false, and is reported', () => {
    const reported: string[] = []
    const selected = selectHandlers(
      handlersOf([
        {
          name: 'broken',
          filter: () => {
            throw new Error('boom')
          },
        },
        { name: 'next' },
        {
          name: 'after',
          group: 1,
          stop: () => {
            throw new Error('bang')
          },
        },
        { name: 'last', group: 2 },
      ]),
      {},
      null,
      (_error, handler, what) => reported.push(`${handler.index}:${what}`),
    )
    expect(selected.map((handler) => handler.name)).toEqual(['next', 'after', 'last'])
    expect(reported).toEqual(['0:filter', '2:stop'])
  })

  it('selects nothing for a channel without handlers', () => {
    expect(pick([], {})).toEqual([])
  })
})
