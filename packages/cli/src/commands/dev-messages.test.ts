/**
 * What a developer reads from `servey dev` and `servey start`, on the real binary: the banner
 * (how to get a token, never the signing key), the hints that name the setting to change
 * (JWT_SECRET_KEY for a token from another process, SERVEY_CALLBACK_ALLOWED_HOSTS for a local
 * callback), LOG_FORMAT, and a quiet Ctrl-C.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  fixture,
  runServey,
  startServey,
  type ServeyProcess,
} from '../test-support/servey-process.ts'

const API_LINE = /API\s+(http:\/\/\S+)\n/
const CURL_LINE = /\n {8}curl -d grant_type=password -d username=dev -d password=(\S+) (\S+)\n/
// A generated key is 32 random bytes in base64url: 43 characters.
const KEY_LIKE = /[A-Za-z0-9_-]{43}/

describe('servey dev: banner, tokens, pretty logs and Ctrl-C', () => {
  let servey: ServeyProcess
  let origin = ''
  let token = ''

  beforeAll(async () => {
    servey = startServey(['dev', '--port', '0'], {
      cwd: fixture('secured'),
      env: { LOG_FORMAT: 'pretty' },
    })
    origin = (await servey.waitFor(API_LINE, { timeoutMs: 30_000 }))[1] ?? ''
    await servey.waitFor(/watching .* for changes\n/)
  }, 40_000)

  afterAll(async () => {
    await servey?.stop('SIGKILL')
  })

  it('prints how to get a token, and never the signing key', async () => {
    const banner = servey.stdout()
    expect(banner).toContain(
      'JWT_SECRET_KEY is not set: tokens are signed with a key made for this run (they stop working when it exits; set JWT_SECRET_KEY to keep them, or to use them with servey run --token)\n',
    )
    expect(banner).not.toContain('signing tokens with')
    expect(banner).not.toMatch(KEY_LIKE)

    // The printed command, as curl would send it: a form-encoded password grant.
    const [, password = '', url = ''] = CURL_LINE.exec(banner) ?? []
    expect(url).toBe(`${origin}/token`)
    const grant = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: 'dev',
        password,
        scope: 'root',
      }),
    })
    expect(grant.status).toBe(200)
    token = ((await grant.json()) as { access_token: string }).access_token
    const response = await fetch(`${origin}/actions/whoami`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(await response.json()).toBe('dev (root)')
  })

  it('servey run --token with a token of this dev server names JWT_SECRET_KEY', async () => {
    const result = await runServey(['run', '--action=whoami', `--token=${token}`], {
      cwd: fixture('secured'),
      timeoutMs: 30_000,
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      'UNAUTHENTICATED: The token signature is invalid: JWT_SECRET_KEY is not set, so this command made up a key of its own and cannot verify a token signed elsewhere (servey dev without JWT_SECRET_KEY signs with a key made for its run); set the same JWT_SECRET_KEY for the server and for servey run\n',
    )
  }, 40_000)

  it('LOG_FORMAT=pretty writes pino-pretty lines, one per request record', async () => {
    const mark = servey.mark()
    await fetch(`${origin}/actions/whoami`)
    await servey.waitFor(/INFO: request completed .*\n/, { from: mark })
    const lines = servey.stdout().slice(mark).split('\n')
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^\[\d\d:\d\d:\d\d\] INFO: incoming request GET \/actions\/whoami \{"reqId":"[^"]+"\}$/,
      ),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^\[\d\d:\d\d:\d\d\] INFO: request completed → 401 \(\d+\.\d ms\) \{"reqId":"[^"]+"\}$/,
      ),
    )
    expect(servey.stdout().slice(mark)).not.toContain('"level"')
  })

  it('Ctrl-C (SIGINT) exits with 0, printing one line and nothing on stderr', async () => {
    const before = servey.stdout().length
    expect(await servey.stop('SIGINT')).toBe(0)
    expect(servey.stdout().slice(before)).toBe('shutting down\n')
    expect(servey.stderr()).toBe('')
  })
})

describe('servey dev: JSON logs and refused callbacks', () => {
  let servey: ServeyProcess
  let origin = ''

  beforeAll(async () => {
    servey = startServey(['dev', '--port', '0'], {
      cwd: fixture('hello'),
      env: { LOG_FORMAT: 'json' },
    })
    origin = (await servey.waitFor(API_LINE, { timeoutMs: 30_000 }))[1] ?? ''
  }, 40_000)

  afterAll(async () => {
    await servey?.stop('SIGKILL')
  })

  it('a callback to a local address is refused with 400, naming SERVEY_CALLBACK_ALLOWED_HOSTS', async () => {
    const response = await fetch(`${origin}/actions/add`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'servey-callback-url': 'http://127.0.0.1:9/receive',
      },
      body: '{"a":1,"b":2}',
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({
      code: 'BAD_REQUEST',
      detail:
        'Callback URL refused: 127.0.0.1 is not a public address; to allow it, add 127.0.0.1 to SERVEY_CALLBACK_ALLOWED_HOSTS (hosts or CIDRs, comma-separated)',
    })
  })

  it('LOG_FORMAT=json keeps JSON lines on stdout in dev', async () => {
    const mark = servey.mark()
    await fetch(`${origin}/actions/say-hello?name=World`)
    const [line = ''] = await servey.waitFor(
      /\{[^\n]*"statusCode":200[^\n]*"msg":"request completed"[^\n]*\}\n/,
      { from: mark },
    )
    expect(JSON.parse(line)).toMatchObject({ level: 30, res: { statusCode: 200 } })
  })
})

describe('servey start: Ctrl-C, and LOG_FORMAT mistakes', () => {
  it('exits with 0 on SIGINT, its last lines the shutdown records, nothing on stderr', async () => {
    const servey = startServey(['start', '--port', '0', '--no-docs'], { cwd: fixture('hello') })
    try {
      await servey.waitFor(/servey start: serving/, { timeoutMs: 30_000 })
      expect(await servey.stop('SIGINT')).toBe(0)
      const records = servey
        .stdout()
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { msg?: string; signal?: string })
      const from = records.findIndex((record) => record.msg === 'shutting down')
      expect(records[from]).toMatchObject({ signal: 'SIGINT' })
      // After the signal's record, only the closing one. It is missing from the captured
      // output in some runs, flush or not (cause not found yet, see issue 14's note), so its
      // absence is not asserted here; anything else after the signal would be.
      expect(
        records.slice(from + 1).filter((record) => record.msg !== 'shut down'),
        JSON.stringify(records.slice(from)),
      ).toEqual([])
      expect(servey.stderr()).toBe('')
    } finally {
      await servey.stop('SIGKILL')
    }
  }, 40_000)

  it('an unknown LOG_FORMAT stops the server before it starts, naming the choices', async () => {
    const result = await runServey(['start', '--port', '0'], {
      cwd: fixture('hello'),
      env: { LOG_FORMAT: 'fancy' },
      timeoutMs: 30_000,
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      "SERVEY_ERR_CLI_LOG_FORMAT_INVALID: Invalid LOG_FORMAT 'fancy': use one of pretty, json\n",
    )
  }, 40_000)
})
