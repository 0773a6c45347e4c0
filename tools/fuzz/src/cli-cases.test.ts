import { describe, expect, it } from 'vitest'
import { judgeCli, runBinary } from './cli-cases.ts'

describe('runBinary', () => {
  // Found by the CI run of 2620586 (seed 244486363): `--event=\0` made spawn throw inside the
  // harness. No process can receive a NUL in its arguments, so the case runs in process.
  it('answers a case whose arguments hold a NUL byte instead of throwing', async () => {
    const answer = await runBinary(
      { trigger: 'cli', label: 'nul', args: ['run', '--action=say_hello', '--event=\0'] },
      undefined,
      { NODE_ENV: 'test' },
    )
    expect(answer.code).toBe(2)
    expect(answer.stderr).toMatch(/MALFORMED_JSON|INVALID_PARAMS|BAD_REQUEST/)
    expect(judgeCli(answer)).toBeUndefined()
  }, 60_000)
})
