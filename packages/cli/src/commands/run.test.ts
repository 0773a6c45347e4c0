import { describe, expect, it } from 'vitest'
import { fixture, runServey } from '../test-support/servey-process.ts'

const hello = fixture('hello')
const STACK_FRAME = /^\s+at /m

describe('servey run', () => {
  it('prints the JSON result of the action and exits 0', async () => {
    const result = await runServey(['run', '--action=say_hello', '--event={"name":"World"}'], {
      cwd: hello,
    })
    expect(result).toEqual({ code: 0, stdout: '"Hello World!"\n', stderr: '' })
  })

  it('reads the event from a file with --event=@file', async () => {
    const result = await runServey(['run', '--action=say_hello', '--event=@event.json'], {
      cwd: hello,
    })
    expect(result.stdout).toBe('"Hello File!"\n')
    expect(result.code).toBe(0)
  })

  it('reads the event from stdin when it is piped in', async () => {
    const result = await runServey(['run', '--action=add'], { cwd: hello, input: '{"a":2,"b":40}' })
    expect(result.stdout).toBe('42\n')
    expect(result.code).toBe(0)
  })

  it('uses {} when stdin is empty, so missing params are reported by path', async () => {
    const result = await runServey(['run', '--action=say_hello'], { cwd: hello })
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(
      /^INVALID_PARAMS: Invalid params: \/name must have required property 'name'\n$/,
    )
  })

  it('names the failing path of invalid params, without a stack, exit 2', async () => {
    const result = await runServey(['run', '-a', 'say_hello', '-e', '{"name":3}'], { cwd: hello })
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('INVALID_PARAMS: Invalid params: /name must be string\n')
  })

  it('suggests the closest name for an unknown action, exit 2', async () => {
    const result = await runServey(['run', '--action=say_helo', '--event={}'], { cwd: hello })
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      "UNKNOWN_ACTION: No action is named 'say_helo'. Did you mean say_hello?\n",
    )
  })

  it('points to `servey actions` when no name is close', async () => {
    const result = await runServey(['run', '--action=completely_else', '--event={}'], {
      cwd: hello,
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Run `servey actions` to list them.')
  })

  it('reports malformed JSON in --event, exit 2', async () => {
    const result = await runServey(['run', '--action=say_hello', '--event={"name":'], {
      cwd: hello,
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^MALFORMED_JSON: The event given with --event is not valid JSON: .+\n$/,
    )
    expect(result.stderr).not.toMatch(STACK_FRAME)
  })

  it('reports malformed JSON on stdin, exit 2', async () => {
    const result = await runServey(['run', '--action=say_hello'], {
      cwd: hello,
      input: 'name=World',
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^MALFORMED_JSON: The event read from stdin is not valid JSON/)
  })

  it('reports an event file that does not exist, exit 2', async () => {
    const result = await runServey(['run', '--action=say_hello', '--event=@nope.json'], {
      cwd: hello,
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^BAD_REQUEST: Cannot read the event file .*nope\.json \(ENOENT\)\n$/,
    )
  })

  it('exits 1 when the handler throws, naming the cause after logging its stack', async () => {
    const result = await runServey(['run', '--action=fail'], { cwd: hello })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/ERROR Internal Server Error .*\n\s+Error: boom\n\s+at /)
    expect(result.stderr).toMatch(/\nINTERNAL: Internal Server Error \(caused by Error: boom\)\n$/)
  })

  // JSON.parse('1e309') is Infinity, which JSON.stringify used to print as null, exit 0.
  it('refuses a number JSON cannot carry as INVALID_PARAMS, exit 2', async () => {
    const result = await runServey(['run', '--action=add', '--event={"a":1e309,"b":1}'], {
      cwd: hello,
    })
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'INVALID_PARAMS: Invalid params: /a must be a finite number (got Infinity)\n',
    })
  })

  it('fails a result that overflows to Infinity with INVALID_RESULT, exit 1, no stack', async () => {
    const result = await runServey(['run', '--action=add', '--event={"a":1.7e308,"b":1.7e308}'], {
      cwd: hello,
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/ERROR .* code=INVALID_RESULT requestId=[0-9a-f-]{36}\n/)
    expect(result.stderr).toMatch(
      /\nINVALID_RESULT: Action add returned a number JSON cannot carry: \/ must be a finite number \(got Infinity\)\n$/,
    )
    expect(result.stderr).not.toMatch(STACK_FRAME)
  })

  it('sends logs to stderr, never stdout, and honours LOG_LEVEL', async () => {
    const quiet = await runServey(['run', '--action=fail'], {
      cwd: hello,
      env: { LOG_LEVEL: 'silent' },
    })
    expect(quiet.stderr).toBe('INTERNAL: Internal Server Error (caused by Error: boom)\n')
    const invalid = await runServey(['run', '--action=add'], {
      cwd: hello,
      env: { LOG_LEVEL: 'loud' },
    })
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toMatch(/^SERVEY_ERR_CLI_LOG_LEVEL_INVALID: Invalid LOG_LEVEL 'loud'/)
  })

  it('prints a definition error of the app as `code: message`, exit 1', async () => {
    const result = await runServey(['run', '--action=same'], { cwd: fixture('duplicate') })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      "SERVEY_ERR_REGISTRY_DUPLICATE_NAME: Two different actions are named 'same': export first and export second\n",
    )
  })

  it('finds the entry from --entry or SERVEY_ENTRY', async () => {
    const cwd = fixture('custom-entry')
    const flag = await runServey(
      ['run', '-a', 'times_2', '-e', '{"x":21}', '--entry', 'app/all-actions.ts'],
      { cwd },
    )
    expect(flag.stdout).toBe('42\n')
    const env = await runServey(['run', '-a', 'times_1', '-e', '{"x":21}'], {
      cwd,
      env: { SERVEY_ENTRY: 'app/all-actions.ts' },
    })
    expect(env.stdout).toBe('21\n')
  })

  describe('callers', () => {
    const secured = fixture('secured')
    const secret = 'a-test-secret-that-is-long-enough-for-hs256!'
    const sign = async (claims: Record<string, unknown>, key = secret) => {
      const { createJwtIssuer } = await import('@servey/core')
      const scopes = typeof claims['scope'] === 'string' ? claims['scope'].split(' ') : []
      return (
        await createJwtIssuer({ secret: key }).issue({ subject: String(claims['sub']), scopes })
      ).token
    }

    it('--token is verified with JWT_SECRET_KEY, like a request', async () => {
      const env = { JWT_SECRET_KEY: secret }
      const token = await sign({ sub: 'root', scope: 'root' })
      const ok = await runServey(['run', '--action=whoami', `--token=${token}`], {
        cwd: secured,
        env,
      })
      expect(ok).toEqual({ code: 0, stdout: '"root (root)"\n', stderr: '' })
      const forged = await sign(
        { sub: 'root', scope: 'root' },
        'another-secret-that-is-long-enough-for-hs256',
      )
      const bad = await runServey(['run', '--action=whoami', `--token=${forged}`], {
        cwd: secured,
        env,
      })
      expect([bad.code, bad.stderr]).toEqual([
        2,
        'UNAUTHENTICATED: The token signature is invalid: it was not signed with this JWT_SECRET_KEY; the server that issued it must use the same value\n',
      ])
      const garbage = await runServey(['run', '--action=whoami', '--token=garbage'], {
        cwd: secured,
        env,
      })
      expect([garbage.code, garbage.stderr]).toEqual([
        2,
        'UNAUTHENTICATED: The bearer token is not a well-formed JWT\n',
      ])
    })

    it('--token refuses the attack matrix with the same reasons as a request', async () => {
      const env = { JWT_SECRET_KEY: secret }
      const { UnsecuredJWT, SignJWT } = await import('jose')
      const expired = await new SignJWT({ scope: 'root' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('root')
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(new TextEncoder().encode(secret))
      const cases: Array<[string, string]> = [
        [
          new UnsecuredJWT({ sub: 'root', scope: 'root' }).encode(),
          'The token algorithm is not allowed',
        ],
        [expired, 'The token has expired'],
        ['a.b c.d', "The Authorization header must be 'Bearer <token>' with exactly one token"],
        ['a'.repeat(100_000), 'The bearer token is over 8192 characters'],
      ]
      for (const [token, message] of cases) {
        const result = await runServey(['run', '--action=whoami', `--token=${token}`], {
          cwd: secured,
          env,
        })
        expect([result.code, result.stderr]).toEqual([2, `UNAUTHENTICATED: ${message}\n`])
      }
    })

    it('--scopes makes a trusted caller in development only', async () => {
      const dev = await runServey(['run', '--action=whoami', '--scopes=root', '--subject=ada'], {
        cwd: secured,
      })
      expect(dev).toEqual({ code: 0, stdout: '"ada (root)"\n', stderr: '' })
      const production = await runServey(['run', '--action=whoami', '--scopes=root'], {
        cwd: secured,
        env: { NODE_ENV: 'production' },
      })
      expect(production.code).toBe(1)
      expect(production.stderr).toContain('SERVEY_ERR_CLI_TRUSTED_CALLER_IN_PRODUCTION')
    })
  })

  describe('--claims', () => {
    const secured = fixture('secured')

    it("calls as a token holder, through the action's access rule", async () => {
      const claims = '--claims={"sub":"root","scope":"root admin"}'
      const result = await runServey(['run', '--action=whoami', claims], { cwd: secured })
      expect(result).toEqual({ code: 0, stdout: '"root (root admin)"\n', stderr: '' })
    })

    it('is anonymous without, and says how to pass claims, exit 2', async () => {
      const result = await runServey(['run', '--action=whoami'], { cwd: secured })
      expect(result.code).toBe(2)
      expect(result.stderr).toBe(
        'UNAUTHENTICATED: This action requires a bearer token: pass --token <jwt>, or in development --scopes <scopes>\n',
      )
    })

    it('still enforces scopes and expiry', async () => {
      const user = await runServey(
        ['run', '-a', 'whoami', '--claims', '{"sub":"ann","scope":"user"}'],
        {
          cwd: secured,
        },
      )
      expect([user.code, user.stderr]).toEqual([
        2,
        'FORBIDDEN: This action requires one of the scopes: root\n',
      ])
      const expired = await runServey(
        ['run', '-a', 'whoami', '--claims', '{"sub":"root","scope":"root","exp":1}'],
        {
          cwd: secured,
        },
      )
      expect([expired.code, expired.stderr]).toEqual([
        2,
        'UNAUTHENTICATED: The authorization has expired\n',
      ])
    })

    it('rejects claims that are not a JSON object', async () => {
      const malformed = await runServey(['run', '-a', 'whoami', '--claims', '{'], { cwd: secured })
      expect(malformed.stderr).toMatch(
        /^MALFORMED_JSON: The claims given with --claims are not valid JSON/,
      )
      const array = await runServey(['run', '-a', 'whoami', '--claims', '[]'], { cwd: secured })
      expect([array.code, array.stderr]).toEqual([
        2,
        'BAD_REQUEST: --claims must be a JSON object, e.g. {"sub":"root","scope":"root"}\n',
      ])
    })
  })
})
