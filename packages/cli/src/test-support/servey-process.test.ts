import { PROCESS_START_TIMEOUT_MS } from '@servey/testing'
import { describe, expect, it } from 'vitest'
import { fixture, runServey, startServey } from './servey-process.ts'

// A wait for a start that fails must say why: the load of the machine and what the process
// printed, so a slow CI host can be told apart from a broken start.
describe('waits for a servey process', () => {
  it(
    'ready() waits PROCESS_START_TIMEOUT_MS by default and fails with the load and the output',
    async () => {
      const servey = startServey(['start', '--port', '0'], { cwd: fixture('hello') })
      try {
        const url = await servey.serving()
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
        const failure = await servey.ready(/a line servey never prints/, { timeoutMs: 200 }).then(
          () => 'ready',
          (error: Error) => error.message,
        )
        expect(failure).toMatch(
          /^servey start --port 0 \(waiting for \/a line servey never prints\/\) was not ready within 0\.2 s \(PROCESS_START_TIMEOUT_MS of @servey\/testing; load average [\d.]+, [\d.]+, [\d.]+ on \d+ CPUs\)\. Its output:\n/,
        )
        expect(failure).toContain(`"api":"${url}"`)
      } finally {
        await servey.stop('SIGKILL')
      }
    },
    PROCESS_START_TIMEOUT_MS + 5_000,
  )

  it('ready() fails at once, with the output, when the process exits instead', async () => {
    const servey = startServey(['start', '--port', 'not-a-port'], { cwd: fixture('hello') })
    const failure = await servey.ready(/"api":/).then(
      () => 'ready',
      (error: Error) => error.message,
    )
    expect(failure).toMatch(/^servey exited before printing \/"api":\/\n/)
    expect(failure).not.toContain('was not ready within')
  })

  it('runServey says the load and the output when a run outlasts its bound', async () => {
    const failure = await runServey(['start', '--port', '0'], {
      cwd: fixture('hello'),
      timeoutMs: 200,
    }).then(
      () => 'finished',
      (error: Error) => error.message,
    )
    expect(failure).toMatch(
      /^servey start --port 0 \(run to its end\) was not ready within 0\.2 s \(PROCESS_START_TIMEOUT_MS of @servey\/testing; load average .* on \d+ CPUs\)\. Its output:\nstdout: .*\nstderr: /s,
    )
  })
})
