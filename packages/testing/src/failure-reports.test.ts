import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import type { RunnerTask } from 'vitest'
import { beforeAll, describe, expect, test } from 'vitest'
import { startVitest, type Reporter } from 'vitest/node'

interface Reported {
  readonly name: string
  readonly state: string | undefined
  readonly messages: string[]
  readonly diffs: string[]
}

function flatten(tasks: readonly RunnerTask[], prefix: string): Reported[] {
  return tasks.flatMap((task) => {
    const name = prefix === '' ? task.name : `${prefix} > ${task.name}`
    if (task.type === 'suite') return flatten(task.tasks, name)
    const errors = task.result?.errors ?? []
    return [
      {
        name,
        state: task.result?.state,
        messages: errors.map((error) => stripVTControlCharacters(error.message)),
        diffs: errors.flatMap((error) =>
          error.diff === undefined ? [] : [stripVTControlCharacters(error.diff)],
        ),
      },
    ]
  })
}

const silentReporter: Reporter = {}

// A nested vitest run over fixture files that fail on purpose: what matters is the report a
// user reads, which only a real run produces.
describe('failure reports of a real vitest run', () => {
  let reported: Reported[] = []
  const fileErrors = new Map<string, string[]>()

  beforeAll(async () => {
    const vitest = await startVitest('test', [], {
      watch: false,
      config: false,
      root: fileURLToPath(new URL('.', import.meta.url)),
      include: [
        'wrong-example.fixture.ts',
        'broken-transport.fixture.ts',
        'duplicate-clients.fixture.ts',
      ],
      // The outer run reports; the inner one would print failures that are expected here.
      reporters: [silentReporter],
    })
    try {
      const files = vitest.state.getFiles()
      reported = files.flatMap((file) => flatten(file.tasks, ''))
      for (const file of files) {
        fileErrors.set(
          file.name,
          (file.result?.errors ?? []).map((error) => error.message),
        )
      }
    } finally {
      await vitest.close()
    }
  }, 60_000)

  function find(name: string): Reported {
    const match = reported.find((entry) => entry.name === name)
    if (match === undefined)
      throw new Error(
        `no test named '${name}' in ${JSON.stringify(reported.map((entry) => entry.name))}`,
      )
    return match
  }

  test('a wrong example result names the action, example and transport, with a diff', () => {
    const failure = find('action examples > say_hello › greet_developer [in-process]')
    expect(failure.state).toBe('fail')
    expect(failure.messages[0]).toMatch(/^say_hello › greet_developer \[in-process\]: expected/)
    expect(failure.diffs[0]).toContain('-   "length": 99,')
    expect(failure.diffs[0]).toContain('+   "length": 16,')
  })

  test('an example expecting an error fails when the call succeeds, showing the result', () => {
    const failure = find('action examples > say_hello › expects_an_error [in-process]')
    expect(failure.state).toBe('fail')
    expect(failure.messages[0]).toBe(
      "say_hello › expects_an_error [in-process]: expected the call to fail with NOT_FOUND, but it returned { greeting: 'Hello Ada!', length: 10 }",
    )
  })

  test('the conformance suite catches a transport that skips string coercion', () => {
    expect(
      find(
        'broken conformance > validated input (GET) > accepts typed params and returns them typed',
      ).state,
    ).toBe('fail')
    expect(
      find('broken conformance > validated input (GET) > reads a single tag as a one-element array')
        .state,
    ).toBe('fail')
  })

  test('the conformance suite catches a transport that leaks internals', () => {
    const failure = find(
      'broken conformance > errors > an unexpected error is INTERNAL 500 and reveals no internals',
    )
    expect(failure.state).toBe('fail')
    expect(failure.messages.join('\n')).toContain('secret internals')
  })

  test('checks the broken transport gets right still pass', () => {
    expect(
      find('broken conformance > echo (POST) > keeps unicode, quotes and control characters intact')
        .state,
    ).toBe('pass')
    expect(
      find('broken conformance > errors > a timeout is TIMEOUT 504 and aborts the handler signal')
        .state,
    ).toBe('pass')
  })

  test('two clients under one name stop collection with a message naming the clash', () => {
    expect(fileErrors.get('duplicate-clients.fixture.ts')).toEqual([
      "defineExampleTests: two clients are named 'in-process' (the in-process client always runs; pass only other transports)",
    ])
  })
})
