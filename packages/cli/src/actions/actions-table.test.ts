import {
  action,
  anyScope,
  authenticated,
  createRegistry,
  custom,
  Type,
  web,
  WEB_GET,
  type Trigger,
} from '@servey/core'
import { describe, expect, it } from 'vitest'
import { actionRows, actionsAsJson, formatActionsTable } from './actions-table.ts'
import { formatDuration } from './format-duration.ts'

const schedule: Trigger & { cron: string; enabled: boolean; options: object } = {
  kind: 'schedule',
  cron: '0 * * * *',
  enabled: true,
  options: { ignored: 'nested values are left to --json' },
}

const registry = createRegistry({
  say_hello: action(
    {
      triggers: [WEB_GET],
      description: 'Greet a user!\nLonger text.',
      params: Type.Object({ name: Type.String() }),
    },
    ({ name }) => `Hello ${name}!`,
  ),
  get_item: action(
    {
      triggers: [web({ method: 'GET', path: '/items/:id' }), web({ method: 'DELETE' }), schedule],
      params: Type.Object({ id: Type.String() }),
      timeout: '2m',
      access: anyScope('root', 'admin'),
    },
    () => null,
  ),
  internal: action({ timeout: 1500, access: authenticated }, () => null),
  owned: action({ access: custom(() => true, 'only the owner') }, () => null),
})

describe('servey actions output', () => {
  it('describes each trigger and access rule in one phrase', () => {
    expect(actionRows(registry)).toEqual([
      [
        'get_item',
        'GET /items/:id, DELETE /actions/get-item, schedule cron=0 * * * * enabled=true',
        'any of: root, admin',
        '2m',
        '',
      ],
      ['internal', 'direct', 'authenticated', '1500ms', ''],
      ['owned', 'direct', 'only the owner', '15s', ''],
      ['say_hello', 'GET /actions/say-hello', 'anyone', '15s', 'Greet a user!'],
    ])
  })

  it('pads every column but the last', () => {
    const widest = 'GET /items/:id, DELETE /actions/get-item, schedule cron=0 * * * * enabled=true'
    const triggers = (text: string): string => text.padEnd(widest.length)
    const lines = formatActionsTable(registry).split('\n')
    expect(lines[0]).toBe(
      `NAME       ${triggers('TRIGGERS')}  ACCESS               TIMEOUT  DESCRIPTION`,
    )
    expect(lines[1]).toBe(`get_item   ${widest}  any of: root, admin  2m`)
    expect(lines[2]).toBe(`internal   ${triggers('direct')}  authenticated        1500ms`)
    expect(lines.at(-1)).toBe('')
  })

  it('gives the same as data, with resolved web paths and access without code', () => {
    const [getItem, , owned] = actionsAsJson(registry)
    expect(getItem).toEqual({
      name: 'get_item',
      description: null,
      timeoutMs: 120_000,
      access: { kind: 'scopes', mode: 'any', scopes: ['root', 'admin'] },
      triggers: [
        { kind: 'web', method: 'GET', path: '/items/:id' },
        { kind: 'web', method: 'DELETE', path: '/actions/get-item' },
        schedule,
      ],
      publishes: null,
    })
    expect(owned).toMatchObject({ access: { kind: 'custom', description: 'only the owner' } })
  })

  it('formats timeouts in the unit people write them in', () => {
    expect([500, 1000, 1500, 15_000, 60_000, 90_000, 3_600_000].map(formatDuration)).toEqual([
      '500ms',
      '1s',
      '1500ms',
      '15s',
      '1m',
      '90s',
      '60m',
    ])
  })
})
