import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CANCELLED, type Questions } from './ask.ts'
import { runCreateServey } from './cli.ts'
import { captureIo } from './test-support/capture-io.ts'

const made: string[] = []
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'create-servey-'))
  made.push(dir)
  return dir
}
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

async function manifestIn(dir: string): Promise<any> {
  return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'))
}

function scriptedQuestions(answers: { directory?: string | typeof CANCELLED; triggers?: any }) {
  const asked: string[] = []
  const questions: Questions = {
    start: () => asked.push('start'),
    directory: async () => (asked.push('directory'), answers.directory ?? CANCELLED),
    triggers: async () => (asked.push('triggers'), answers.triggers ?? CANCELLED),
    cancelled: () => asked.push('cancelled'),
  }
  return { questions, asked }
}

describe('create-servey', () => {
  it('with no terminal asks nothing and takes the defaults', async () => {
    const cwd = await tempDir()
    const io = captureIo(cwd)
    expect(await runCreateServey(['my-app'], io)).toBe(0)
    const manifest = await manifestIn(join(cwd, 'my-app'))
    expect(manifest.name).toBe('my-app')
    const actions = await readFile(join(cwd, 'my-app/src/actions.ts'), 'utf8')
    for (const name of ['say_hello', 'sum_numbers', 'heartbeat']) expect(actions).toContain(name)
    expect(io.out()).toContain('cd my-app\n  npm install\n  npm run dev')
    expect(io.err()).toBe('')
  })

  it('at a terminal asks for the folder and the triggers', async () => {
    const cwd = await tempDir()
    const { questions, asked } = scriptedQuestions({ directory: 'asked-app', triggers: ['page'] })
    expect(await runCreateServey([], captureIo(cwd, true), { questions })).toBe(0)
    expect(asked).toEqual(['start', 'directory', 'triggers'])
    expect(existsSync(join(cwd, 'asked-app/templates/hello_page.njk'))).toBe(true)
  })

  it('asks only what the flags leave open, and nothing with --yes', async () => {
    const cwd = await tempDir()
    const first = scriptedQuestions({ triggers: ['web'] })
    expect(await runCreateServey(['a'], captureIo(cwd, true), { questions: first.questions })).toBe(
      0,
    )
    expect(first.asked).toEqual(['start', 'triggers'])
    const second = scriptedQuestions({})
    expect(
      await runCreateServey(['b', '--yes'], captureIo(cwd, true), { questions: second.questions }),
    ).toBe(0)
    expect(second.asked).toEqual([])
  })

  it('writes nothing when a question is cancelled', async () => {
    const cwd = await tempDir()
    const { questions, asked } = scriptedQuestions({ directory: 'x' })
    expect(await runCreateServey([], captureIo(cwd, true), { questions })).toBe(1)
    expect(asked).toEqual(['start', 'directory', 'triggers', 'cancelled'])
    expect(existsSync(join(cwd, 'x'))).toBe(false)
  })

  it('takes --triggers, --name and the package name from the folder', async () => {
    const cwd = await tempDir()
    expect(await runCreateServey(['My App', '--triggers', 'schedule'], captureIo(cwd))).toBe(0)
    expect((await manifestIn(join(cwd, 'My App'))).name).toBe('my-app')
    expect(await runCreateServey(['c', '--name', '@me/c', '--triggers=web'], captureIo(cwd))).toBe(
      0,
    )
    expect((await manifestIn(join(cwd, 'c'))).name).toBe('@me/c')
  })

  it('depends on the tarballs of --tarballs, and refuses a folder that lacks one', async () => {
    const cwd = await tempDir()
    const tarballs = join(cwd, 'tgz')
    const { mkdir } = await import('node:fs/promises')
    await mkdir(tarballs)
    for (const name of [
      'aws',
      'cache',
      'channels',
      'cli',
      'core',
      'graphql',
      'http',
      'rest',
      'testing',
    ]) {
      await writeFile(join(tarballs, `servey-${name}-0.1.0.tgz`), '')
    }
    await writeFile(join(tarballs, 'create-servey-0.1.0.tgz'), '')
    const io = captureIo(cwd)
    expect(await runCreateServey(['d', '--tarballs', 'tgz', '--triggers', 'schedule'], io)).toBe(1)
    expect(io.err()).toMatch(
      /^SERVEY_ERR_CREATE_TARBALLS_INVALID: --tarballs tgz has no tarball for @servey\/scheduler/,
    )
    await writeFile(join(tarballs, 'servey-scheduler-0.1.0.tgz'), '')
    expect(
      await runCreateServey(['d', '--tarballs', 'tgz', '--triggers', 'schedule'], captureIo(cwd)),
    ).toBe(0)
    const manifest = await manifestIn(join(cwd, 'd'))
    expect(manifest.dependencies['@servey/core']).toBe(
      `file:${join(tarballs, 'servey-core-0.1.0.tgz')}`,
    )
    expect(manifest.overrides['create-servey']).toBe(
      `file:${join(tarballs, 'create-servey-0.1.0.tgz')}`,
    )
  })

  it.each([
    [['a', 'b'], 2, 'SERVEY_ERR_CREATE_USAGE: one folder please'],
    [['--bogus'], 2, "SERVEY_ERR_CREATE_USAGE: Unknown option '--bogus'"],
    [
      ['e', '--triggers', 'web,nope'],
      1,
      'SERVEY_ERR_CREATE_TRIGGER_UNKNOWN: --triggers web,nope: unknown nope',
    ],
    [
      ['e', '--triggers', ','],
      1,
      'SERVEY_ERR_CREATE_TRIGGER_UNKNOWN: --triggers ,: name at least one',
    ],
    [
      ['e', '--name', 'Not Valid'],
      1,
      "SERVEY_ERR_CREATE_NAME_INVALID: 'Not Valid' is not a valid npm package name",
    ],
    [['e', '--tarballs', 'missing'], 1, 'SERVEY_ERR_CREATE_TARBALLS_INVALID: --tarballs missing:'],
  ])('refuses %j with exit code %i and a coded message', async (args, code, message) => {
    const cwd = await tempDir()
    const io = captureIo(cwd)
    expect(await runCreateServey(args, io)).toBe(code)
    expect(io.err().startsWith(message)).toBe(true)
    expect(existsSync(join(cwd, 'e'))).toBe(false)
  })

  it('prints its usage for --help, under the name it was called by', async () => {
    const io = captureIo(await tempDir())
    expect(await runCreateServey(['--help'], io, { command: 'servey init' })).toBe(0)
    expect(io.out()).toMatch(/^Usage: servey init \[dir\] \[options\]/)
  })
})
