// The wrk client of the bench (issue 14, point 4): its output parser on real wrk output captured
// from wrk 4.1.0 (Debian's) against a local node:http server, the command it runs, and, where
// wrk is installed, live runs against a real server.
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLoad } from './load.ts'
import { checkClean } from './rounds.ts'
import { parseWrkOutput, runWrk, wrkAvailability, wrkCommand, WRK_INSTALL_HINT } from './wrk.ts'

const fixture = (name: string): string =>
  readFileSync(new URL(`./wrk-fixtures/${name}.txt`, import.meta.url), 'utf8')

// The captures were made where CLK_TCK is 100.
const TICKS = 100

describe('parseWrkOutput on captured wrk output', () => {
  it('reads a clean GET run: answers, rate, percentiles and wrk CPU per request', () => {
    const result = parseWrkOutput(fixture('get-200'), TICKS)
    expect(result).toEqual({
      client: 'wrk',
      requestsPerSecond: expect.closeTo(35950 / 1.10835, 6),
      p50Ms: 0.03,
      p99Ms: 75.901,
      responses: 35950,
      non2xx: 0,
      errors: 0,
      timeouts: 0,
      // 21 ticks of 10 ms over 35,950 answers
      clientCpuMicrosPerRequest: expect.closeTo(210_000 / 35950, 9),
    })
    expect(checkClean('get', result)).toBe(result)
  })

  it('counts 3xx as unexpected, which wrk’s own "Non-2xx or 3xx" line leaves out', () => {
    const output = fixture('mixed-200-302-404')
    // wrk's text counts only the 404s (statuses above 399)...
    expect(output).toContain('Non-2xx or 3xx responses: 9558')
    const result = parseWrkOutput(output, TICKS)
    // ...the script counts the 302s too.
    expect(result.responses).toBe(9557)
    expect(result.non2xx).toBe(19116)
    expect(result.requestsPerSecond).toBeCloseTo(9557 / 1.02782, 6)
    expect(() => checkClean('mixed', result)).toThrow(
      'mixed: unclean wrk run (9557 2xx, 19116 non-2xx, 0 errors, 0 timeouts)',
    )
  })

  it('counts the expected status (a 304 revalidation) as the successes', () => {
    const result = parseWrkOutput(fixture('expected-304'), TICKS)
    expect(result.responses).toBe(15070)
    expect(result.non2xx).toBe(0)
    expect(result.clientCpuMicrosPerRequest).toBeCloseTo(290_000 / 15070, 9)
  })

  it('reads a POST run with a body', () => {
    const result = parseWrkOutput(fixture('post-201'), TICKS)
    expect(result.responses).toBe(9364)
    expect(result.p50Ms).toBe(0.077)
  })

  it('flags socket errors (the server resets connections) as an unclean round', () => {
    const output = fixture('socket-reset')
    expect(output).toContain('Socket errors: connect 0, read 1539')
    const result = parseWrkOutput(output, TICKS)
    expect(result.errors).toBe(1539)
    expect(() => checkClean('reset', result)).toThrow(/unclean wrk run .* 1539 errors/)
  })

  it('refuses output without the result line, with what wrk printed', () => {
    const text = fixture('get-200').replace(/^SERVEY_WRK_RESULT .*$/m, '')
    expect(() => parseWrkOutput(text, TICKS)).toThrow(/no SERVEY_WRK_RESULT line.*\n.*Running 1s/s)
  })

  it('refuses a result line that is not JSON, lacks a field, or does not add up', () => {
    const line = /^SERVEY_WRK_RESULT .*$/m.exec(fixture('get-200'))?.[0] ?? ''
    expect(() => parseWrkOutput(line.slice(0, -1), TICKS)).toThrow(/not JSON/)
    expect(() => parseWrkOutput(line.replace('"p99":', '"p98":'), TICKS)).toThrow(/lacks a field/)
    expect(() => parseWrkOutput(line.replace('"expected":35950', '"expected":1'), TICKS)).toThrow(
      /counted 35950 answers but its script 1 \+ 0/,
    )
  })

  it('gives NaN client CPU where wrk could not read /proc', () => {
    const line = /^SERVEY_WRK_RESULT .*$/m.exec(fixture('get-200'))?.[0] ?? ''
    const result = parseWrkOutput(line.replace('"cpuTicks":21', '"cpuTicks":-1'), TICKS)
    expect(result.clientCpuMicrosPerRequest).toBeNaN()
  })
})

describe('wrkCommand', () => {
  it('passes connections, whole seconds, headers, method, body and expected status', () => {
    const { args, env } = wrkCommand({
      url: 'http://127.0.0.1:1/actions/create-order',
      method: 'POST',
      body: '{"qty":2}',
      headers: { 'content-type': 'application/json', 'if-none-match': '"v1"' },
      connections: 50,
      durationSeconds: 5,
      expectedStatus: 304,
    })
    expect(args).toEqual([
      '--threads',
      '1',
      '--connections',
      '50',
      '--duration',
      '5s',
      '--timeout',
      '10s',
      '--script',
      expect.stringMatching(/wrk-report\.lua$/),
      '--header',
      'content-type: application/json',
      '--header',
      'if-none-match: "v1"',
      'http://127.0.0.1:1/actions/create-order',
    ])
    expect(env['SERVEY_WRK_METHOD']).toBe('POST')
    expect(env['SERVEY_WRK_BODY']).toBe('{"qty":2}')
    expect(env['SERVEY_WRK_EXPECTED_STATUS']).toBe('304')
  })

  it('refuses a duration wrk cannot run (it sleeps whole seconds)', () => {
    const options = { url: 'http://127.0.0.1:1/', method: 'GET', connections: 1 } as const
    expect(() => wrkCommand({ ...options, durationSeconds: 1.5 })).toThrow(
      'wrk runs whole seconds: 1.5 s is not one',
    )
    expect(() => wrkCommand({ ...options, durationSeconds: 0 })).toThrow(/whole seconds/)
  })
})

describe('without wrk', () => {
  it('says how to install it instead of failing with ENOENT', async () => {
    const path = process.env['PATH']
    process.env['PATH'] = '/nonexistent'
    try {
      expect(wrkAvailability()).toEqual({ available: false, message: WRK_INSTALL_HINT })
      await expect(
        runWrk({ url: 'http://127.0.0.1:1/', method: 'GET', connections: 1, durationSeconds: 1 }),
      ).rejects.toThrow(WRK_INSTALL_HINT)
    } finally {
      process.env['PATH'] = path
    }
    expect(WRK_INSTALL_HINT).toMatch(/apt-get install -y wrk.*--client=autocannon/)
  })
})

/** A real server: `/ok` answers 200, `/mixed` cycles 200, 302, 404, `/etag` revalidates. */
function startServer(): Promise<Server> {
  let mixed = 0
  const server = createServer((request, response) => {
    if (request.url === '/mixed') {
      const status = [200, 302, 404][mixed++ % 3] as number
      response.writeHead(status, status === 302 ? { location: '/ok' } : {}).end()
    } else if (request.url === '/etag' && request.headers['if-none-match'] === '"v1"') {
      response.writeHead(304).end()
    } else {
      response.writeHead(200, { 'content-type': 'application/json' }).end('"Hello World!"')
    }
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

describe('against a real local server', () => {
  let server: Server
  let base = ''
  beforeAll(async () => {
    server = await startServer()
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('autocannon reports the same shape, with the bench process as its client CPU', async () => {
    const result = await runLoad({
      url: `${base}/ok`,
      method: 'GET',
      connections: 2,
      durationSeconds: 1,
    })
    expect(result.client).toBe('autocannon')
    expect(result.responses).toBeGreaterThan(0)
    expect(result.clientCpuMicrosPerRequest).toBeGreaterThan(0)
    expect(checkClean('autocannon', result)).toBe(result)
  }, 20_000)

  const wrk = wrkAvailability()
  const title = wrk.available
    ? `wrk ${wrk.version}`
    : `wrk (SKIPPED: not installed; ${WRK_INSTALL_HINT})`
  describe.skipIf(!wrk.available)(title, () => {
    it('counts 2xx answers, and its own CPU per request from /proc', async () => {
      const result = await runLoad({
        url: `${base}/ok`,
        method: 'GET',
        connections: 2,
        durationSeconds: 1,
        client: 'wrk',
      })
      expect(result.client).toBe('wrk')
      expect(result.responses).toBeGreaterThan(0)
      expect(result.requestsPerSecond).toBeGreaterThan(0)
      expect(result.p50Ms).toBeGreaterThan(0)
      expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms)
      // Clock ticks are 10 ms: a 1 s run at full speed uses at least one.
      expect(result.clientCpuMicrosPerRequest).toBeGreaterThan(0)
      expect(checkClean('wrk', result)).toBe(result)
    }, 20_000)

    it('flags 3xx and 4xx answers as an unclean round', async () => {
      const result = await runWrk({
        url: `${base}/mixed`,
        method: 'GET',
        connections: 1,
        durationSeconds: 1,
      })
      // One connection, answers in turn: as many 302s and 404s as 200s, give or take one.
      expect(Math.abs(result.non2xx - 2 * result.responses)).toBeLessThanOrEqual(2)
      expect(() => checkClean('mixed', result)).toThrow(/unclean wrk run/)
    }, 20_000)

    it('sends the headers, and counts the expected 304s', async () => {
      const result = await runWrk({
        url: `${base}/etag`,
        method: 'GET',
        headers: { 'if-none-match': '"v1"' },
        connections: 1,
        durationSeconds: 1,
        expectedStatus: 304,
      })
      expect(result.responses).toBeGreaterThan(0)
      expect(checkClean('304', result)).toBe(result)
    }, 20_000)

    it('fails with wrk’s own message when nothing listens', async () => {
      await expect(
        runWrk({ url: 'http://127.0.0.1:1/', method: 'GET', connections: 1, durationSeconds: 1 }),
      ).rejects.toThrow(/wrk exited with code 1: unable to connect to 127\.0\.0\.1:1/)
    }, 20_000)
  })
})
