import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { fixture, runServey } from '../test-support/servey-process.ts'

describe('servey actions', () => {
  it('prints a table of name, triggers, timeout and description', async () => {
    const result = await runServey(['actions'], { cwd: fixture('hello') })
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(
      [
        'NAME       TRIGGERS                ACCESS  TIMEOUT  DESCRIPTION',
        'add        POST /actions/add       anyone  2s       Add two numbers',
        'fail       POST /actions/fail      anyone  15s      Always throws',
        'say_hello  GET /actions/say-hello  anyone  15s      Greet a user!',
        '',
      ].join('\n'),
    )
  })

  it('prints the same as JSON with --json', async () => {
    const result = await runServey(['actions', '--json'], { cwd: fixture('hello') })
    expect(result.code).toBe(0)
    const listing = JSON.parse(result.stdout) as {
      actions: Array<Record<string, unknown>>
      channels: unknown[]
    }
    const { actions } = listing
    expect(listing.channels).toEqual([])
    expect(actions.map((action) => action['name'])).toEqual(['add', 'fail', 'say_hello'])
    expect(actions[2]).toEqual({
      name: 'say_hello',
      description: 'Greet a user!',
      timeoutMs: 15_000,
      access: { kind: 'allow_all' },
      triggers: [{ kind: 'web', method: 'GET', path: '/actions/say-hello' }],
      publishes: null,
    })
  })

  it('lists the channels after the actions: kind, access and handlers, as a table and as JSON', async () => {
    const cwd = fileURLToPath(new URL('../../../../examples/showcase', import.meta.url))
    const table = await runServey(['actions'], { cwd })
    expect(table.code).toBe(0)
    const channels = table.stdout.slice(table.stdout.indexOf('CHANNEL'))
    expect(channels.split('\n')[0]).toMatch(
      /^CHANNEL\s+KIND\s+ACCESS\s+PUBLISHED BY\s+HANDLERS\s+DESCRIPTION$/,
    )
    expect(channels).toMatch(
      /^messenger\s+websocket\s+anyone\s+broadcast_message\s+-\s+Chat messages/m,
    )
    expect(channels).toMatch(
      /^alerts\s+websocket, webhook\s+any of: root\s+raise_alert\s+g0 webhook https:\/\/hooks\.example\.com\s+Operational alerts/m,
    )
    expect(channels).toMatch(
      /^orders\s+websocket, background action\s+anyone\s+place_order\s+g0 hold_for_review \[filter, stop\]; g0 record_order; g1 ship_express \[filter\]; g1 ship_standard\s+Placed orders/m,
    )
    const json = await runServey(['actions', '--json'], { cwd })
    const listing = JSON.parse(json.stdout) as { channels: Array<Record<string, unknown>> }
    expect(listing.channels.map((channel) => channel['name'])).toEqual([
      'alerts',
      'messenger',
      'orders',
      'signups',
    ])
    expect(listing.channels[2]).toMatchObject({
      name: 'orders',
      path: '/channels/orders',
      kinds: ['websocket', 'background action'],
      access: { kind: 'allow_all' },
      publishedBy: ['place_order'],
      handlers: [
        { kind: 'action', action: 'hold_for_review', group: 0, filter: true, stop: true },
        { kind: 'action', action: 'record_order', group: 0, filter: false, stop: false },
        { kind: 'action', action: 'ship_express', group: 1, filter: true, stop: false },
        { kind: 'action', action: 'ship_standard', group: 1, filter: false, stop: false },
      ],
    })
    const actions = (JSON.parse(json.stdout) as { actions: Array<Record<string, unknown>> }).actions
    expect(actions.find((action) => action['name'] === 'broadcast_message')).toMatchObject({
      publishes: ['messenger'],
    })
  }, 60_000)

  it('lists actions generated in a loop, with no trigger as direct', async () => {
    const result = await runServey(['actions', '--entry=app/all-actions.ts'], {
      cwd: fixture('custom-entry'),
    })
    expect(result.stdout).toMatch(/^times_1\s+direct\s+anyone\s+15s$/m)
    expect(result.stdout).toMatch(/^times_2\s+direct\s+anyone\s+15s$/m)
  })
})
