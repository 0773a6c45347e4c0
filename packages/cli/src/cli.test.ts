import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './cli.ts'
import type { CliIo } from './io.ts'
import { fixture, runServey } from './test-support/servey-process.ts'

function memoryIo(cwd = process.cwd()): CliIo & { out: () => string; err: () => string } {
  let out = ''
  let err = ''
  return {
    cwd,
    env: {},
    stdin: Readable.from([]),
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    out: () => out,
    err: () => err,
  }
}

describe('servey command line', () => {
  it('rejects an unknown option with one line and exit 2', async () => {
    const io = memoryIo()
    expect(await runCli(['run', '--action=x', '--frobnicate'], io)).toBe(2)
    expect(io.err()).toBe("error: unknown option '--frobnicate'\n(add --help for usage)\n")
    expect(io.out()).toBe('')
  })

  it('rejects an option without its value', async () => {
    const io = memoryIo()
    expect(await runCli(['run', '--action'], io)).toBe(2)
    expect(io.err()).toMatch(/^error: option '-a, --action <name>' argument missing\n/)
  })

  it('requires --action for run', async () => {
    const io = memoryIo()
    expect(await runCli(['run'], io)).toBe(2)
    expect(io.err()).toMatch(/^error: required option '-a, --action <name>' not specified\n/)
  })

  it('suggests the closest command for a mistyped one', async () => {
    const io = memoryIo()
    expect(await runCli(['strat'], io)).toBe(2)
    expect(io.err()).toBe(
      "error: unknown command 'strat' (Did you mean start?)\n(add --help for usage)\n",
    )
  })

  it('prints help for each command, exit 0', async () => {
    for (const command of ['dev', 'start', 'run', 'openapi', 'actions']) {
      const io = memoryIo()
      expect(await runCli([command, '--help'], io)).toBe(0)
      expect(io.out()).toContain(`Usage: servey ${command} [options]`)
      expect(io.out()).toContain('--entry <file>')
    }
    const io = memoryIo()
    expect(await runCli(['--help'], io)).toBe(0)
    expect(io.out()).toMatch(/Commands:\n\s+dev \[options\]/)
  })

  it('passes options without a command to dev, the default command', async () => {
    const io = memoryIo()
    expect(await runCli(['--port', 'abc'], io)).toBe(1)
    expect(io.err()).toBe(
      "SERVEY_ERR_CLI_PORT_INVALID: Invalid port 'abc' (from --port): use a whole number from 0 to 65535\n",
    )
  })

  it('prints its version', async () => {
    const io = memoryIo()
    expect(await runCli(['--version'], io)).toBe(0)
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+\n$/)
  })
})

describe('servey entry discovery, end to end', () => {
  let empty: string
  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), 'servey-cli-empty-'))
  })
  afterAll(async () => {
    await rm(empty, { recursive: true, force: true })
  })

  it('reports a missing entry with its code and every path it tried, exit 1', async () => {
    const result = await runServey(['actions'], { cwd: empty })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      [
        `SERVEY_ERR_CLI_ENTRY_NOT_FOUND: No actions module found in ${empty}. Tried:`,
        `  ${join(empty, 'src/actions.ts')}`,
        `  ${join(empty, 'src/actions/index.ts')}`,
        `  ${join(empty, 'actions.ts')}`,
        'Pass --entry <file> or set SERVEY_ENTRY.',
        '',
      ].join('\n'),
    )
  })

  it('reports an --entry that does not exist', async () => {
    const result = await runServey(['run', '--action=x', '--entry', 'nope.ts'], { cwd: empty })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `SERVEY_ERR_CLI_ENTRY_FILE_MISSING: The actions module ${join(empty, 'nope.ts')} (from --entry) does not exist\n`,
    )
  })

  it('reports an app that throws while loading, with the stack of its own code only', async () => {
    const result = await runServey(['actions'], { cwd: fixture('throws-on-load') })
    expect(result.code).toBe(1)
    const lines = result.stderr.trimEnd().split('\n')
    expect(lines[0]).toMatch(
      /^SERVEY_ERR_CLI_ENTRY_LOAD_FAILED: Could not load the actions module .*actions\.ts: database unreachable$/,
    )
    expect(lines[1]).toBe('Error: database unreachable')
    expect(lines.slice(2).every((line) => line.includes('throws-on-load/actions.ts'))).toBe(true)
  })
})
