import { readFile, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFixture, startServey, type ServeyProcess } from '../test-support/servey-process.ts'

const API_LINE = /API\s+(http:\/\/\S+)\n/

/** The Access-Control-Allow-Origin a preflight from `origin` gets, or null. */
async function allowedOrigin(server: string, origin: string): Promise<string | null> {
  const preflight = await fetch(`${server}/actions/add`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST' },
  })
  return preflight.headers.get('access-control-allow-origin')
}

async function pluginAnswer(server: string): Promise<unknown> {
  return (await fetch(`${server}/actions/say-hello?name=Plugin`)).json()
}

// A real `servey dev` on a copy of the configured fixture, whose servey.config.ts is edited.
describe('servey dev reloads when servey.config.ts changes', () => {
  let app: { dir: string; remove(): Promise<void> }
  let servey: ServeyProcess
  let origin: string
  let original: string
  const configFile = (): string => join(app.dir, 'servey.config.ts')

  beforeAll(async () => {
    app = await copyFixture('configured')
    original = await readFile(configFile(), 'utf8')
    servey = startServey(['dev', '--port', '0'], { cwd: app.dir, env: { LOG_FILE: 'server.log' } })
    origin = (await servey.waitFor(API_LINE, { timeoutMs: 60_000 }))[1] ?? ''
  }, 70_000)

  afterAll(async () => {
    await servey?.stop('SIGKILL')
    await app?.remove()
  })

  it('serves the config it started with', async () => {
    expect(await allowedOrigin(origin, 'https://app.example.org')).toBe('https://app.example.org')
    expect(await pluginAnswer(origin)).toBe('Answered by a plugin')
  })

  it('says the config changed, and serves the new one after the reload', async () => {
    const mark = servey.mark()
    await writeFile(
      configFile(),
      original
        .replace("'https://app.example.org'", "'https://other.example'")
        .replace("'Answered by a plugin'", "'Answered by the edited plugin'"),
    )
    await servey.waitFor(/^servey\.config\.ts changed: reloading with the new config$/m, {
      from: mark,
    })
    await servey.waitFor(/reloaded in \d+ ms \(3 actions\)\n/, { from: mark })
    expect(await allowedOrigin(origin, 'https://other.example')).toBe('https://other.example')
    expect(await allowedOrigin(origin, 'https://app.example.org')).toBeNull()
    expect(await pluginAnswer(origin)).toBe('Answered by the edited plugin')
  })

  it('keeps the running server when the new config is invalid, with the coded error', async () => {
    const edited = await readFile(configFile(), 'utf8')
    let mark = servey.mark()
    await writeFile(configFile(), edited.replace('bodyLimit: 2048', "bodyLimit: '2kb'"))
    const invalid = await servey.waitFor(/^(SERVEY_ERR_CONFIG_\w+): (.*)\n/m, { from: mark })
    expect(invalid[1]).toBe('SERVEY_ERR_CONFIG_INVALID')
    expect(invalid[2]).toContain('server.bodyLimit')
    await servey.waitFor(/still serving the previous version\n/, { from: mark })
    expect(await allowedOrigin(origin, 'https://other.example')).toBe('https://other.example')
    expect(await pluginAnswer(origin)).toBe('Answered by the edited plugin')

    mark = servey.mark()
    await writeFile(configFile(), edited.replace('server: {', 'server: { corss: true,'))
    const unknown = await servey.waitFor(/^(SERVEY_ERR_CONFIG_\w+): (.*)\n/m, { from: mark })
    expect(unknown[1]).toBe('SERVEY_ERR_CONFIG_UNKNOWN_KEY')
    expect(unknown[2]).toContain('did you mean server.cors?')
    await servey.waitFor(/still serving the previous version\n/, { from: mark })

    mark = servey.mark()
    await writeFile(configFile(), edited.replace('export default {', 'export default {{'))
    const broken = await servey.waitFor(/^(SERVEY_ERR_CONFIG_\w+): (.*)\n/m, { from: mark })
    expect(broken[1]).toBe('SERVEY_ERR_CONFIG_LOAD_FAILED')
    await servey.waitFor(/still serving the previous version\n/, { from: mark })
    expect(await allowedOrigin(origin, 'https://other.example')).toBe('https://other.example')
    expect(servey.child.exitCode).toBeNull()

    // Fixed: the config loads again.
    mark = servey.mark()
    await writeFile(configFile(), original)
    await servey.waitFor(/reloaded in \d+ ms \(3 actions\)\n/, { from: mark })
    expect(await allowedOrigin(origin, 'https://app.example.org')).toBe('https://app.example.org')
    expect(await pluginAnswer(origin)).toBe('Answered by a plugin')
  })

  it('reloads on a change to an app file without announcing a config change, config intact', async () => {
    const mark = servey.mark()
    const stdoutMark = servey.stdout().length
    const greeting = join(app.dir, 'src', 'greeting.ts')
    await writeFile(greeting, `${await readFile(greeting, 'utf8')}\n`)
    await servey.waitFor(/reloaded in \d+ ms \(3 actions\)\n/, { from: mark })
    expect(servey.stdout().slice(stdoutMark)).not.toContain('servey.config.ts changed')
    expect(await allowedOrigin(origin, 'https://app.example.org')).toBe('https://app.example.org')
  })
  it('warns when the reloaded config moves the entry outside the watched directory, and serves it', async () => {
    const other = await copyFixture('configured')
    const current = await readFile(configFile(), 'utf8')
    try {
      const moved = `../${basename(other.dir)}/src/actions.ts`
      const mark = servey.mark()
      await writeFile(
        configFile(),
        current.replace("entry: './src/actions.ts'", `entry: '${moved}'`),
      )
      const warning = await servey.waitFor(
        /^warning: servey\.config\.ts now names (.*), outside the watched directory (.*?): (.*)$/m,
        {
          from: mark,
        },
      )
      expect(warning[1]).toBe(join('..', basename(other.dir), 'src', 'actions.ts'))
      expect(warning[2]).toBe(app.dir)
      expect(warning[3]).toContain('restart servey dev to watch its directory')
      await servey.waitFor(/reloaded in \d+ ms \(3 actions\)\n/, { from: mark })

      // Back inside: no warning again.
      const back = servey.mark()
      const stderrMark = servey.stderr().length
      await writeFile(configFile(), current)
      await servey.waitFor(/reloaded in \d+ ms \(3 actions\)\n/, { from: back })
      expect(servey.stderr().slice(stderrMark)).not.toContain('warning:')
    } finally {
      await writeFile(configFile(), current)
      await other.remove()
    }
  })
})
