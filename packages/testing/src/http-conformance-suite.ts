import {
  createJwtAuthenticator,
  createJwtIssuer,
  type AnyAction,
  type Authenticator,
  type Invoker,
  type JobRunner,
} from '@servey/core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createHttpConformanceActions, createMemoryJobRunner } from './http-fixtures.ts'
import type { HttpConformanceRequest, HttpConformanceResponse } from './http-target.ts'

/** What a transport must serve for the HTTP conformance suite. */
export interface HttpConformanceApp {
  /** The fixture actions: pass them to `createRegistry` (or a Lambda handler's `actions`). */
  readonly actions: readonly AnyAction[]
  /** Verifies the suite's bearer tokens: give it to the invoker. */
  readonly authenticator: Authenticator
  /** The runner for `Prefer: respond-async` calls: `jobs: { runner: jobRunner(invoker) }`. */
  readonly jobRunner: (invoker: Invoker) => JobRunner
  /** The largest body the transport must accept, in bytes; one byte more is a 413. */
  readonly bodyLimit: number
}

/** A transport under test: sends one plain HTTP request and returns the answer. */
export interface HttpConformanceTarget {
  send(request: HttpConformanceRequest): Promise<HttpConformanceResponse>
  close(): Promise<void>
}

export interface HttpConformanceSuiteOptions {
  /** As test names show it: `rest (inject)`, `lambda (REST API v1)`. */
  readonly name: string
  /** Serve `app` over the transport; called once, before the first request. */
  setup(app: HttpConformanceApp): Promise<HttpConformanceTarget>
  /**
   * Cases this transport cannot be held to, by their exact test name, each with the reason
   * (shown in the skipped test's name): requests that the transport's own infrastructure
   * answers before the app sees them, such as API Gateway refusing a URL. A name that matches
   * no case fails the suite, so a skip cannot outlive its case.
   */
  readonly skip?: Readonly<Record<string, string>>
}

const SECRET = 'the-http-conformance-suite-secret-of-32+-bytes'
const BODY_LIMIT = 64 * 1024
/** The HTTP layer's default query string limit (`DEFAULT_QUERY_LIMIT` of @servey/http). */
const QUERY_LIMIT = 16_384
const PROBLEM = /^application\/problem\+json/
const JSON_TYPE = /^application\/json/

interface Problem {
  readonly status: number
  readonly code: string
  readonly title: string
  readonly requestId?: string
}

function expectProblem(response: HttpConformanceResponse, status: number, code: string): Problem {
  const summary = `${response.status} ${response.body.slice(0, 300)}`
  expect(response.status, summary).toBe(status)
  expect(response.headers['content-type'], summary).toMatch(PROBLEM)
  const problem = JSON.parse(response.body) as Problem
  expect({ status: problem.status, code: problem.code }).toEqual({ status, code })
  expect(typeof problem.title).toBe('string')
  return problem
}

function expectJson(response: HttpConformanceResponse, expected: unknown): void {
  const summary = `${response.status} ${response.body.slice(0, 300)}`
  expect(response.status, summary).toBe(200)
  expect(response.headers['content-type'], summary).toMatch(JSON_TYPE)
  expect(JSON.parse(response.body)).toEqual(expected)
  expect(response.body).not.toContain('never sent')
}

/** A HEAD answer: the status and headers of the GET, never a body. */
function expectNoBody(response: HttpConformanceResponse, status: number): void {
  expect(response.status).toBe(status)
  expect(response.body).toBe('')
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value))

/**
 * The HTTP answers every transport owes its clients, checked request by request on the wire:
 * status codes, problem+json with a stable `code`, cache headers, ETag and 304, 202 for
 * `Prefer: respond-async`, bearer challenges, 404/405/HEAD, the body rules (400, 413, 415,
 * UTF-8), URL rules (undecodable escapes, dot segments), query coercion and undeclared result
 * fields. Fastify (inject and a real port) and the Lambda handler (API Gateway v1 and v2
 * events) run it; see docs/reference/http.md.
 */
export function runHttpConformanceSuite(options: HttpConformanceSuiteOptions): void {
  describe(`${options.name} HTTP conformance`, () => {
    let target: HttpConformanceTarget | undefined
    let userToken = ''
    let rootToken = ''

    beforeAll(async () => {
      const issuer = createJwtIssuer({ secret: SECRET })
      userToken = (await issuer.issue({ subject: 'ada', scopes: ['user'] })).token
      rootToken = (await issuer.issue({ subject: 'root', scopes: ['root'] })).token
      target = await options.setup({
        actions: createHttpConformanceActions(),
        authenticator: await createJwtAuthenticator({ secret: SECRET }),
        jobRunner: createMemoryJobRunner,
        bodyLimit: BODY_LIMIT,
      })
    })
    afterAll(async () => {
      await target?.close()
    })

    const skip = options.skip ?? {}
    const skipped = new Set<string>()
    /** `test`, unless the transport skips this case by name (with its reason). */
    function check(name: string, body: () => Promise<void>): void {
      const reason = skip[name]
      if (reason === undefined) {
        test(name, body)
      } else {
        skipped.add(name)
        test.skip(`${name} [skipped on ${options.name}: ${reason}]`, body)
      }
    }

    function send(
      method: string,
      path: string,
      headers: Record<string, string> = {},
      body?: Uint8Array,
    ): Promise<HttpConformanceResponse> {
      if (target === undefined) throw new Error(`${options.name}: setup did not finish`)
      return target.send({
        method,
        target: path,
        headers,
        ...(body === undefined ? {} : { body }),
      })
    }

    describe('results', () => {
      check('a GET answers 200 JSON with only the declared result fields', async () => {
        expectJson(await send('GET', '/actions/greet?name=Ada'), { greeting: 'Hello Ada!' })
      })

      check('a path parameter comes from the route template, coerced by the schema', async () => {
        expectJson(await send('GET', '/items/42'), { id: 42, name: 'item 42' })
        expectProblem(await send('GET', '/items/forty-two'), 400, 'INVALID_PARAMS')
      })

      check('a POST reads its JSON body, UTF-8 and all', async () => {
        const response = await send(
          'POST',
          '/actions/note',
          { 'content-type': 'application/json' },
          json({ text: 'héllo 👋' }),
        )
        expectJson(response, { text: 'héllo 👋', length: 7 })
      })

      check('headers are read in any case', async () => {
        expectJson(
          await send(
            'POST',
            '/actions/note',
            { 'Content-Type': 'Application/JSON; Charset=UTF-8' },
            json({ text: 'a' }),
          ),
          { text: 'a', length: 1 },
        )
        expectJson(await send('GET', '/actions/whoami', { AUTHORIZATION: `Bearer ${userToken}` }), {
          subject: 'ada',
        })
      })

      check('a structured +json body is JSON', async () => {
        expectJson(
          await send(
            'POST',
            '/actions/note',
            { 'content-type': 'application/merge-patch+json' },
            json({ text: 'patch' }),
          ),
          { text: 'patch', length: 5 },
        )
      })
    })

    describe('query strings', () => {
      check('decimal strings coerce to numbers, integers and booleans', async () => {
        expectJson(await send('GET', '/actions/numbers?value=12.5&count=3&flag=true'), {
          value: 12.5,
          count: 3,
          flag: true,
        })
        expectJson(await send('GET', '/actions/numbers?value=-0.25e2'), { value: -25 })
      })

      for (const [label, value] of [
        ['hexadecimal', '0x10'],
        ['an escaped leading space', '%205'],
        ['an overflow to infinity', '1e309'],
        ['Infinity', 'Infinity'],
        ['not a number', 'NaN'],
        ['empty', ''],
      ] as const) {
        check(`${label} (${value}) is not a number: 400 INVALID_PARAMS`, async () => {
          expectProblem(await send('GET', `/actions/numbers?value=${value}`), 400, 'INVALID_PARAMS')
        })
      }

      check('a fraction is not an integer', async () => {
        expectProblem(
          await send('GET', '/actions/numbers?value=1&count=1.5'),
          400,
          'INVALID_PARAMS',
        )
      })

      check('a repeated key is an array, a single one a one-item array', async () => {
        expectJson(await send('GET', '/actions/numbers?value=1&tags=a&tags=b&tags=c'), {
          value: 1,
          tags: ['a', 'b', 'c'],
        })
        expectJson(await send('GET', '/actions/numbers?tags=only&value=2'), {
          value: 2,
          tags: ['only'],
        })
      })

      check('values are percent-decoded once, + is a space', async () => {
        expectJson(
          await send('GET', '/actions/numbers?value=1&tags=a%20b&tags=c%2Bd&tags=e+f&tags=%25'),
          {
            value: 1,
            tags: ['a b', 'c+d', 'e f', '%'],
          },
        )
      })

      check('a value with a malformed escape is 400 BAD_REQUEST', async () => {
        expectProblem(
          await send('GET', '/actions/numbers?value=1&tags=%E0%A4%A'),
          400,
          'BAD_REQUEST',
        )
        expectProblem(await send('GET', '/actions/numbers?value=1&tags=50%'), 400, 'BAD_REQUEST')
      })

      check('a value whose escapes are not UTF-8 is 400 BAD_REQUEST', async () => {
        expectProblem(await send('GET', '/actions/numbers?value=1&tags=%FF%FE'), 400, 'BAD_REQUEST')
      })

      check('a missing required param is 400 INVALID_PARAMS', async () => {
        expectProblem(await send('GET', '/actions/numbers'), 400, 'INVALID_PARAMS')
      })

      // The default limit is 16 KiB, counted after `?` as sent. A transport handed only the
      // decoded pairs counts them percent-encoded, so a plainly encoded query draws the line in
      // the same place on every transport.
      check('a query string over 16 KiB is 414 URI_TOO_LONG, one at 16 KiB is served', async () => {
        const head = 'value=1&tags=b%20c&tags='
        const atLimit = `${head}${'a'.repeat(QUERY_LIMIT - head.length)}`
        expectJson(await send('GET', `/actions/numbers?${atLimit}`), {
          value: 1,
          tags: ['b c', 'a'.repeat(QUERY_LIMIT - head.length)],
        })
        expectProblem(await send('GET', `/actions/numbers?${atLimit}a`), 414, 'URI_TOO_LONG')
        expectProblem(await send('GET', `/actions/numbers?${atLimit}%20`), 414, 'URI_TOO_LONG')
      })

      // Past 1,000 distinct keys a query is refused rather than cut short, spelt flat or nested
      // alike; a repeated key counts once.
      check('1,000 distinct query keys are served, one more is 400 BAD_REQUEST', async () => {
        for (const key of [(index: number) => `k${index}`, (index: number) => `x[k${index}]`]) {
          // value, tags (sent twice) and 998 more.
          const atLimit = `value=1&tags=a&tags=b&${Array.from({ length: 998 }, (_, index) => `${key(index)}=1`).join('&')}`
          expectJson(await send('GET', `/actions/numbers?${atLimit}`), {
            value: 1,
            tags: ['a', 'b'],
          })
          expectProblem(
            await send('GET', `/actions/numbers?${atLimit}&${key(998)}=1`),
            400,
            'BAD_REQUEST',
          )
        }
      })
    })

    describe('request targets', () => {
      check('an unknown route is 404 NOT_FOUND', async () => {
        expectProblem(await send('GET', '/actions/nope'), 404, 'NOT_FOUND')
        expectProblem(await send('POST', '/nowhere/at/all'), 404, 'NOT_FOUND')
      })

      check('a wrong method is 405 METHOD_NOT_ALLOWED with Allow', async () => {
        const deleted = await send('DELETE', '/actions/greet')
        expectProblem(deleted, 405, 'METHOD_NOT_ALLOWED')
        expect(deleted.headers['allow']).toBe('GET, HEAD')
        const got = await send('GET', '/actions/note')
        expectProblem(got, 405, 'METHOD_NOT_ALLOWED')
        expect(got.headers['allow']).toBe('POST')
      })

      check('a path that does not percent-decode is 400 BAD_REQUEST problem+json', async () => {
        expectProblem(await send('GET', '/items/%E0%A4%A'), 400, 'BAD_REQUEST')
        expectProblem(await send('GET', '/actions/%E0%A4%A'), 400, 'BAD_REQUEST')
      })

      for (const path of ['/items/..', '/items/%2e%2e', '/actions/../package.json', '/items/./1']) {
        check(`a dot segment (${path}) is 400 BAD_REQUEST`, async () => {
          expectProblem(await send('GET', path), 400, 'BAD_REQUEST')
        })
      }
    })

    describe('HEAD', () => {
      check('HEAD answers like GET without a body', async () => {
        const get = await send('GET', '/actions/greet?name=Ada')
        const head = await send('HEAD', '/actions/greet?name=Ada')
        expectNoBody(head, 200)
        expect(head.headers['etag']).toBe(get.headers['etag'])
        expect(head.headers['cache-control']).toBe(get.headers['cache-control'])
        expect(head.headers['content-type']).toMatch(JSON_TYPE)
      })

      check('HEAD of an unknown route is 404 without a body', async () => {
        const head = await send('HEAD', '/actions/nope')
        expectNoBody(head, 404)
        expect(head.headers['content-type']).toMatch(PROBLEM)
      })

      check('HEAD of a POST-only route is 405 with Allow, without a body', async () => {
        const head = await send('HEAD', '/actions/note')
        expectNoBody(head, 405)
        expect(head.headers['allow']).toBe('POST')
      })

      check('HEAD of a failing call keeps its status without a body', async () => {
        expectNoBody(await send('HEAD', '/actions/numbers?value=1e309'), 400)
      })
    })

    describe('bodies', () => {
      check('malformed JSON is 400 MALFORMED_JSON', async () => {
        const body = new TextEncoder().encode('{"text":')
        expectProblem(
          await send('POST', '/actions/note', { 'content-type': 'application/json' }, body),
          400,
          'MALFORMED_JSON',
        )
      })

      check('an empty JSON body is 400 MALFORMED_JSON', async () => {
        expectProblem(
          await send(
            'POST',
            '/actions/note',
            { 'content-type': 'application/json' },
            new Uint8Array(),
          ),
          400,
          'MALFORMED_JSON',
        )
      })

      check('a body that is not valid UTF-8 is 400 MALFORMED_JSON', async () => {
        const body = new Uint8Array([
          ...new TextEncoder().encode('{"text":"'),
          0xff,
          0xfe,
          0x22,
          0x7d,
        ])
        expectProblem(
          await send('POST', '/actions/note', { 'content-type': 'application/json' }, body),
          400,
          'MALFORMED_JSON',
        )
      })

      check('a body that is not JSON is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
        expectProblem(
          await send(
            'POST',
            '/actions/note',
            { 'content-type': 'text/plain' },
            json({ text: 'a' }),
          ),
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        )
      })

      check('a body over the limit is 413 PAYLOAD_TOO_LARGE', async () => {
        const text = 'x'.repeat(BODY_LIMIT)
        expectProblem(
          await send(
            'POST',
            '/actions/note',
            { 'content-type': 'application/json' },
            json({ text }),
          ),
          413,
          'PAYLOAD_TOO_LARGE',
        )
      })

      check('a body of the wrong shape is 400 INVALID_PARAMS', async () => {
        expectProblem(
          await send(
            'POST',
            '/actions/note',
            { 'content-type': 'application/json' },
            json({ text: 5 }),
          ),
          400,
          'INVALID_PARAMS',
        )
      })

      check('a number JSON cannot carry is 400 INVALID_PARAMS', async () => {
        const body = new TextEncoder().encode('{"text":"a","extra":1e309}')
        const response = await send(
          'POST',
          '/actions/note',
          { 'content-type': 'application/json' },
          body,
        )
        expectProblem(response, 400, 'INVALID_PARAMS')
      })
    })

    describe('caching', () => {
      check('a cached action sends Cache-Control and a strong ETag', async () => {
        const response = await send('GET', '/actions/greet?name=Ada')
        expect(response.headers['cache-control']).toMatch(/max-age=60/)
        expect(response.headers['etag']).toMatch(/^"[^"]+"$/)
      })

      check(
        'If-None-Match with the ETag (any case, in a list, weak) is 304 without a body',
        async () => {
          const etag = (await send('GET', '/actions/greet?name=Ada')).headers['etag'] ?? ''
          const variants: Record<string, string>[] = [
            { 'if-none-match': etag },
            { 'If-None-Match': `W/${etag}` },
            { 'IF-NONE-MATCH': `, , "other", ${etag} ,` },
          ]
          for (const headers of variants) {
            const response = await send('GET', '/actions/greet?name=Ada', headers)
            expectNoBody(response, 304)
            expect(response.headers['etag']).toBe(etag)
            expect(response.headers['cache-control']).toMatch(/max-age=60/)
          }
        },
      )

      check('another ETag is 200 with the body', async () => {
        const response = await send('GET', '/actions/greet?name=Ada', {
          'if-none-match': '"stale"',
        })
        expectJson(response, { greeting: 'Hello Ada!' })
      })
    })

    describe('async calls', () => {
      check('Prefer: respond-async is 202 with Location and Preference-Applied', async () => {
        const response = await send(
          'POST',
          '/actions/note',
          { 'content-type': 'application/json', Prefer: 'respond-async, wait=5' },
          json({ text: 'later' }),
        )
        expect(response.status, response.body).toBe(202)
        expect(response.headers['location']).toMatch(/^\/jobs\/[^/]+$/)
        expect(response.headers['preference-applied']).toBe('respond-async')
        expect(response.body).not.toContain('never sent')
      })

      check('an async call with bad params is refused at once with 400', async () => {
        expectProblem(
          await send(
            'POST',
            '/actions/note',
            { 'content-type': 'application/json', prefer: 'respond-async' },
            json({ text: 1 }),
          ),
          400,
          'INVALID_PARAMS',
        )
      })
    })

    describe('access', () => {
      check('no token is 401 UNAUTHENTICATED with a Bearer challenge', async () => {
        const response = await send('GET', '/actions/whoami')
        expectProblem(response, 401, 'UNAUTHENTICATED')
        expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="[^"]*"/)
      })

      check('a bad token is 401 with error="invalid_token"', async () => {
        const response = await send('GET', '/actions/whoami', { authorization: 'Bearer x.y.z' })
        expectProblem(response, 401, 'UNAUTHENTICATED')
        expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/)
      })

      check('a token without the scope is 403 FORBIDDEN', async () => {
        expectProblem(
          await send('GET', '/actions/root-only', { authorization: `Bearer ${userToken}` }),
          403,
          'FORBIDDEN',
        )
      })

      check('a token with the scope is 200', async () => {
        const response = await send('GET', '/actions/root-only', {
          authorization: `Bearer ${rootToken}`,
        })
        expect(response.status).toBe(200)
        expect(JSON.parse(response.body)).toBe('Some Secret Data!')
      })
    })

    describe('problems', () => {
      check('every problem carries its status, title, code and the request id', async () => {
        const problem = expectProblem(await send('GET', '/actions/numbers'), 400, 'INVALID_PARAMS')
        expect(typeof problem.requestId).toBe('string')
        expect(problem.requestId).not.toBe('')
      })
    })

    describe('probes', () => {
      check('GET /health is 200 {"status":"ok"}, never cached, with no token', async () => {
        const response = await send('GET', '/health')
        expectJson(response, { status: 'ok' })
        expect(response.headers['cache-control']).toBe('no-store')
      })

      check('GET /ready is 200 {"status":"ready"}, never cached', async () => {
        const response = await send('GET', '/ready')
        expectJson(response, { status: 'ready' })
        expect(response.headers['cache-control']).toBe('no-store')
      })

      check('HEAD /health and /ready answer 200 without a body', async () => {
        for (const path of ['/health', '/ready']) {
          const head = await send('HEAD', path)
          expectNoBody(head, 200)
          expect(head.headers['content-type']).toMatch(JSON_TYPE)
        }
      })

      check('another method on a probe is 404 NOT_FOUND', async () => {
        expectProblem(await send('POST', '/health'), 404, 'NOT_FOUND')
        expectProblem(await send('DELETE', '/ready'), 404, 'NOT_FOUND')
      })
    })

    describe('request ids', () => {
      const WELL_FORMED = /^[A-Za-z0-9._:@/+=-]{1,128}$/

      check('a well-formed x-request-id is kept: sent back and in the problem body', async () => {
        const id = 'trace-1.a:b@c/d+e=f'
        const response = await send('GET', '/actions/numbers', { 'x-request-id': id })
        const problem = expectProblem(response, 400, 'INVALID_PARAMS')
        expect(response.headers['x-request-id']).toBe(id)
        expect(problem.requestId).toBe(id)
        const ok = await send('GET', '/actions/greet?name=Ada', { 'X-Request-Id': id })
        expect(ok.headers['x-request-id']).toBe(id)
      })

      check('a hostile or oversized x-request-id is replaced, never echoed', async () => {
        for (const hostile of ['a b', 'a"b<script>', 'x'.repeat(129)]) {
          const response = await send('GET', '/actions/numbers', { 'x-request-id': hostile })
          const problem = expectProblem(response, 400, 'INVALID_PARAMS')
          const id = response.headers['x-request-id']
          expect(id).toMatch(WELL_FORMED)
          expect(id).not.toBe(hostile)
          expect(problem.requestId).toBe(id)
          expect(response.body).not.toContain(hostile)
        }
      })

      check('every answer names its request: a result, a 404, a probe, a HEAD', async () => {
        const answers = [
          await send('GET', '/actions/greet?name=Ada'),
          await send('GET', '/actions/nope'),
          await send('GET', '/health'),
          await send('GET', '/ready'),
          await send('HEAD', '/actions/greet?name=Ada'),
        ]
        const ids = answers.map((response) => response.headers['x-request-id'])
        for (const id of ids) expect(id).toMatch(WELL_FORMED)
        // A fresh id per request when the caller sends none.
        expect(new Set(ids).size).toBe(ids.length)
        const problem = JSON.parse(answers[1]!.body) as Problem
        expect(problem.requestId).toBe(ids[1])
      })
    })

    // Collected after every case above has registered itself.
    test('every skipped case names a case of the suite', () => {
      expect(Object.keys(skip).filter((name) => !skipped.has(name))).toEqual([])
    })
  })
}
