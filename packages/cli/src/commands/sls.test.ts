import { existsSync } from 'node:fs'
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../cli.ts'
import type { CliIo } from '../io.ts'
import { fixture } from '../test-support/servey-process.ts'

const entry = join(fixture('hello'), 'src/actions.ts')
let dir: string
let out = ''
let err = ''
const io = (): CliIo => ({
  cwd: dir,
  env: {},
  stdin: Readable.from([]),
  stdout: { write: (text: string) => (out += text) },
  stderr: { write: (text: string) => (err += text) },
})

beforeEach(async () => {
  // A service folder with the hello fixture's package.json; the app is the real fixture (a
  // copy would have no node_modules to bundle @servey/core from).
  dir = await mkdtemp(join(tmpdir(), 'servey-cli-sls-'))
  await cp(join(fixture('hello'), 'package.json'), join(dir, 'package.json'))
  out = ''
  err = ''
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('servey sls', () => {
  it('writes the project and reports each function with its bundle size', async () => {
    expect(await runCli(['sls', '--entry', entry, '--api', 'rest'], io())).toBe(0)
    expect(out).toMatch(
      /^Wrote serverless\.yml \(yours from now on\) and serverless\.servey\.yml for service hello-fixture\n/,
    )
    expect(out).toMatch(/ {2}say_hello +\d+\.\d KiB {2}GET \/actions\/say-hello\n/)
    expect(existsSync(join(dir, '.servey/aws/say_hello/handler.mjs'))).toBe(true)
    expect(err).toBe('')
    // The runtime provides the AWS SDK; a static import of it would be hoisted to the top of
    // the ESM bundle and loaded by every cold start, whether the function uses it or not.
    const bundle = await readFile(join(dir, '.servey/aws/say_hello/handler.mjs'), 'utf8')
    expect(bundle).toMatch(/import\("@aws-sdk\//)
    expect(bundle).not.toMatch(/from\s*"@aws-sdk\//)
    // The probes' function, on by default; --no-health leaves it out.
    expect(out).toMatch(
      / {2}servey_health +\d+\.\d KiB {2}GET \/health, HEAD \/health, GET \/ready, HEAD \/ready\n/,
    )
    out = ''
    expect(await runCli(['sls', '--entry', entry, '--api', 'rest', '--no-health'], io())).toBe(0)
    expect(out).not.toContain('servey_health')
    expect(await readFile(join(dir, 'serverless.servey.yml'), 'utf8')).not.toContain('/health')
    expect(existsSync(join(dir, '.servey/aws/servey_health'))).toBe(false)
  }, 60_000)

  it('refuses an unknown flag with a coded error, suggesting the closest, and writes nothing', async () => {
    expect(await runCli(['sls', '--servce=shop'], io())).toBe(1)
    expect(err).toBe(
      "SERVEY_ERR_SLS_OPTION_UNKNOWN: Unknown option '--servce' for servey sls (did you mean --service?)\n",
    )
    expect(existsSync(join(dir, 'serverless.yml'))).toBe(false)
  })

  it('refuses a service name AWS would refuse', async () => {
    expect(await runCli(['sls', '--entry', entry, '--service', 'my_shop'], io())).toBe(1)
    expect(err).toMatch(/^SERVEY_ERR_SLS_NAME_INVALID: AWS would refuse the service name 'my_shop'/)
    expect(existsSync(join(dir, 'serverless.yml'))).toBe(false)
  })
})
