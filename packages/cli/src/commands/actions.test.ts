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
    const actions = JSON.parse(result.stdout) as Array<Record<string, unknown>>
    expect(actions.map((action) => action['name'])).toEqual(['add', 'fail', 'say_hello'])
    expect(actions[2]).toEqual({
      name: 'say_hello',
      description: 'Greet a user!',
      timeoutMs: 15_000,
      access: { kind: 'allow_all' },
      triggers: [{ kind: 'web', method: 'GET', path: '/actions/say-hello' }],
    })
  })

  it('lists actions generated in a loop, with no trigger as direct', async () => {
    const result = await runServey(['actions', '--entry=app/all-actions.ts'], {
      cwd: fixture('custom-entry'),
    })
    expect(result.stdout).toMatch(/^times_1\s+direct\s+anyone\s+15s$/m)
    expect(result.stdout).toMatch(/^times_2\s+direct\s+anyone\s+15s$/m)
  })
})
