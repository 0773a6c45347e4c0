import fc from 'fast-check'
import { hostileValueText, valueTextFor, type SchemaLike } from './hostile-values.ts'
import type { HttpCase } from './http-send.ts'

/** What the event is, for the verdict: each kind has its own contract with Lambda. */
export type LambdaEventKind = 'api-gateway' | 'direct' | 'schedule' | 'sqs' | 'other'

export interface LambdaCase {
  readonly trigger: 'lambda'
  readonly label: string
  readonly kind: LambdaEventKind
  /** The router (every action) or the per-action function of one action. */
  readonly target: 'router' | 'say_hello'
  readonly event: unknown
}

export interface LambdaAction {
  readonly name: string
  readonly params: SchemaLike | undefined
}

/** Values of the wrong type for a field AWS documents as a string, a map or a flag. */
const wrongType = fc.constantFrom<unknown>(
  1,
  0,
  -1,
  1e308,
  true,
  false,
  '',
  'x',
  [],
  ['x'],
  [1],
  {},
  { a: 1 },
  { a: ['x', 1] },
  { a: null },
  { ['__proto__']: 'x' },
)

/** A JSON text parsed to the value a caller would send (text JSON cannot hold stays text). */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** The query as API Gateway REST decodes it: every value, last one single. */
function decodedQuery(query: string): {
  single: Record<string, string>
  multi: Record<string, string[]>
} {
  // No prototype: a `__proto__` key is an own key, as in the JSON API Gateway sends.
  const single = Object.create(null) as Record<string, string>
  const multi = Object.create(null) as Record<string, string[]>
  for (const pair of query === '' ? [] : query.split('&')) {
    const at = pair.indexOf('=')
    const decode = (text: string) => {
      try {
        return decodeURIComponent(text.replaceAll('+', ' '))
      } catch {
        return text
      }
    }
    const key = decode(at === -1 ? pair : pair.slice(0, at))
    const value = decode(at === -1 ? '' : pair.slice(at + 1))
    single[key] = value
    ;(multi[key] ??= []).push(value)
  }
  return { single, multi }
}

/**
 * An HTTP case as API Gateway hands it to the function, in the payload 1.0 (REST API) or 2.0
 * (HTTP API) shape, through a catch-all route (the router's `/{proxy+}`, `$default`) or a
 * matched template. The body goes as text, or base64 with the flag, as API Gateway sends
 * binary media.
 */
function gatewayEvent(
  item: HttpCase,
  version: 1 | 2,
  base64: boolean,
  template: string | undefined,
): Record<string, unknown> {
  const mark = item.target.indexOf('?')
  const path = mark === -1 ? item.target : item.target.slice(0, mark)
  const query = mark === -1 ? '' : item.target.slice(mark + 1)
  const body =
    item.body === undefined
      ? undefined
      : base64
        ? Buffer.from(item.body).toString('base64')
        : Buffer.isBuffer(item.body)
          ? item.body.toString('utf8')
          : item.body
  const headers = { host: 'abc123.execute-api.eu-west-1.amazonaws.com', ...item.headers }
  if (version === 1) {
    const { single, multi } = decodedQuery(query)
    return {
      resource: template ?? '/{proxy+}',
      path,
      httpMethod: item.method,
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      queryStringParameters: query === '' ? null : single,
      multiValueQueryStringParameters: query === '' ? null : multi,
      pathParameters: template === undefined ? { proxy: path.slice(1) } : null,
      stageVariables: null,
      requestContext: {
        requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
        httpMethod: item.method,
        path: `/dev${path}`,
        stage: 'dev',
        resourcePath: template ?? '/{proxy+}',
        identity: { sourceIp: '203.0.113.7' },
      },
      body: body ?? null,
      isBase64Encoded: base64 && body !== undefined,
    }
  }
  return {
    version: '2.0',
    routeKey: template === undefined ? '$default' : `${item.method} ${template}`,
    rawPath: path,
    rawQueryString: query,
    headers,
    requestContext: {
      requestId: 'JKJaXmPLvHcESHA=',
      http: { method: item.method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7' },
      routeKey: template === undefined ? '$default' : `${item.method} ${template}`,
      stage: '$default',
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: base64 && body !== undefined,
  }
}

/**
 * Whether the event still has the shape AWS documents for its payload version (and by which
 * the function tells API Gateway events from others): REST events carry `httpMethod` and a
 * `requestContext`, HTTP API events `version: "2.0"` and `requestContext.http`. Broken past
 * that, it is an event of no known shape, which the function must refuse with a coded error.
 */
function stillGateway(event: Record<string, unknown>, version: 1 | 2): boolean {
  const context = event['requestContext']
  if (typeof context !== 'object' || context === null || Array.isArray(context)) return false
  if (version === 1) return typeof event['httpMethod'] === 'string'
  const http = (context as Record<string, unknown>)['http']
  return typeof http === 'object' && http !== null && !Array.isArray(http)
}

/** Fields an event may carry broken: each set to a value of the wrong type, or removed. */
const MUTABLE_FIELDS = {
  1: [
    'headers',
    'multiValueHeaders',
    'queryStringParameters',
    'multiValueQueryStringParameters',
    'pathParameters',
    'body',
    'isBase64Encoded',
    'httpMethod',
    'path',
    'resource',
    'requestContext',
  ],
  2: [
    'headers',
    'cookies',
    'queryStringParameters',
    'pathParameters',
    'rawPath',
    'rawQueryString',
    'routeKey',
    'body',
    'isBase64Encoded',
    'requestContext',
  ],
} as const

/** What API Gateway would never send but a hand-written test event or a proxy might. */
const oddFieldValue = fc.oneof(
  { arbitrary: wrongType, weight: 4 },
  {
    arbitrary: fc.constantFrom<unknown>(
      undefined,
      null,
      'not base64 %%%',
      '////',
      '/actions/%E0%A4%A',
      'no-slash',
      '//double',
      'BREW',
      'get',
      { requestId: 1 },
      { http: 'x' },
      { http: { method: 1 } },
      { stage: 1 },
      { a: 'x'.repeat(200_000) },
    ),
    weight: 3,
  },
)

function mutations(version: 1 | 2) {
  return fc.array(
    fc.record({ field: fc.constantFrom(...MUTABLE_FIELDS[version]), value: oddFieldValue }),
    { maxLength: 2 },
  )
}

/** API Gateway events from the HTTP cases of the same app (OpenAPI and GraphQL ones). */
function gatewayCases(http: fc.Arbitrary<HttpCase>, templates: readonly string[]) {
  return fc
    .record({
      item: http,
      version: fc.constantFrom<1 | 2>(1, 2),
      base64: fc.oneof(
        { arbitrary: fc.constant(false), weight: 4 },
        { arbitrary: fc.constant(true), weight: 1 },
      ),
      // Routed by the concrete path (catch-all) most often, else by a template of the app,
      // which need not match the path (a route key and a path that disagree).
      template: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 4 },
        { arbitrary: fc.constantFrom(...templates), weight: 1 },
      ),
      broken: fc.oneof(
        { arbitrary: fc.constant(false), weight: 3 },
        { arbitrary: fc.constant(true), weight: 1 },
      ),
      edits1: mutations(1),
      edits2: mutations(2),
      target: fc.oneof(
        { arbitrary: fc.constant<'router'>('router'), weight: 5 },
        { arbitrary: fc.constant<'say_hello'>('say_hello'), weight: 1 },
      ),
    })
    .map(({ item, version, base64, template, broken, edits1, edits2, target }): LambdaCase => {
      const event = gatewayEvent(item, version, base64, template)
      const edits = broken ? (version === 1 ? edits1 : edits2) : []
      for (const { field, value } of edits) {
        if (value === undefined) delete event[field]
        else event[field] = value
      }
      return {
        trigger: 'lambda',
        kind: stillGateway(event, version) ? 'api-gateway' : 'other',
        target,
        label: `v${version}${base64 ? ' base64' : ''}${template === undefined ? '' : ` route ${template}`} ${target} ${edits.map((e) => `${e.field}=${JSON.stringify(e.value)?.slice(0, 40)}`).join(' ')} ${item.label.slice(0, 300)}`,
        event,
      }
    })
}

/** A body that says base64 and is not, or is base64 of bytes that are not UTF-8. */
const badBase64 = fc
  .record({
    version: fc.constantFrom(1, 2),
    body: fc.oneof(
      fc.constantFrom('%%%', 'eyJh', '====', 'a', 'YQ=', 'Y Q==', '\u0000', 'é'),
      fc
        .uint8Array({ minLength: 1, maxLength: 60 })
        .map((bytes) => Buffer.from(bytes).toString('base64')),
    ),
  })
  .map(({ version, body }): LambdaCase => {
    const item: HttpCase = {
      trigger: 'openapi',
      label: '',
      method: 'POST',
      target: '/actions/broadcast-message',
      headers: { 'content-type': 'application/json' },
      body,
    }
    const event = gatewayEvent(item, version as 1 | 2, false, undefined)
    event['isBase64Encoded'] = true
    return {
      trigger: 'lambda',
      kind: 'api-gateway',
      target: 'router',
      label: `v${version} base64 flag on ${JSON.stringify(body).slice(0, 80)}`,
      event,
    }
  })

/** `aws lambda invoke` with `{ action, params, authorization }`, hostile in every field. */
function directCases(actions: readonly LambdaAction[], tokens: readonly string[]) {
  const names = actions.map((a) => a.name)
  const params = fc.oneof(
    ...actions.map((a) => valueTextFor(a.params ?? { type: 'object' })),
    hostileValueText,
  )
  return fc
    .record({
      action: fc.oneof(
        { arbitrary: fc.constantFrom<unknown>(...names), weight: 6 },
        {
          arbitrary: fc.constantFrom<unknown>(
            undefined,
            'nope',
            '__proto__',
            'constructor',
            '',
            'say-hello',
          ),
          weight: 1,
        },
        { arbitrary: wrongType, weight: 1 },
      ),
      nameField: fc.constantFrom('action', 'action', 'action', 'action_name'),
      params: fc.oneof(
        { arbitrary: params, weight: 8 },
        { arbitrary: fc.constant(undefined), weight: 1 },
      ),
      authorization: fc.oneof(
        { arbitrary: fc.constant<unknown>(undefined), weight: 6 },
        {
          arbitrary: fc.constantFrom<unknown>(...tokens, ...tokens.map((t) => `Bearer ${t}`)),
          weight: 2,
        },
        { arbitrary: wrongType, weight: 1 },
      ),
      target: fc.constantFrom<'router' | 'say_hello'>('router', 'router', 'router', 'say_hello'),
    })
    .map(({ action, nameField, params, authorization, target }): LambdaCase => {
      const event: Record<string, unknown> = {}
      if (action !== undefined) event[nameField] = action
      // Parsed as Lambda parses the payload: 20,000 levels deep is a valid event.
      event['params'] = params === undefined ? undefined : parsed(params)
      if (authorization !== undefined) event['authorization'] = authorization
      const shown = { ...event, params: params?.slice(0, 200) }
      return {
        trigger: 'lambda',
        kind: 'direct',
        target,
        label: `direct ${target} ${JSON.stringify(shown)?.slice(0, 300)}`,
        event,
      }
    })
}

/** `servey sls`'s schedule input and a bare EventBridge event, with odd fields. */
function scheduleCases(names: readonly string[]) {
  return fc
    .oneof(
      fc
        .record({
          action: fc.oneof(fc.constantFrom<unknown>(...names), wrongType, fc.constantFrom('nope')),
          schedule: fc.oneof(
            fc.constantFrom<unknown>(0, 1, 2, -1, 0.5, '0', null, Infinity, NaN),
            wrongType,
          ),
        })
        .map((input) => ({ servey: 'schedule', ...input }) as Record<string, unknown>),
      fc.constant<Record<string, unknown>>({
        version: '0',
        id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        time: '2026-12-07T02:00:00Z',
        resources: ['arn:aws:events:eu-west-1:123456789012:rule/servey'],
        detail: {},
      }),
    )
    .map((event): LambdaCase => ({
      trigger: 'lambda',
      kind: 'schedule',
      target: 'router',
      label: `schedule ${JSON.stringify(event).slice(0, 200)}`,
      event,
    }))
}

/** SQS batches: job messages with hostile params, messages that are not jobs, odd records. */
function sqsCases(actions: readonly LambdaAction[]) {
  const names = actions.map((a) => a.name)
  const job = fc
    .record({
      action: fc.oneof(fc.constantFrom<unknown>(...names), wrongType),
      params: fc.oneof(...actions.map((a) => valueTextFor(a.params ?? { type: 'object' }))),
      attempt: fc.oneof(fc.constantFrom<unknown>(1, 2, 99), wrongType),
      attempts: fc.oneof(fc.constantFrom<unknown>(undefined, 1, 3), wrongType),
    })
    .map(({ action, params, attempt, attempts }) => {
      // The params as text: JSON.stringify cannot write 20,000 levels, the queue can carry them.
      const head = JSON.stringify({
        servey: 'job',
        v: 1,
        id: 'job-1',
        action,
        authorization: null,
        attempt,
        attempts,
      })
      return `${head.slice(0, -1)},"params":${params}}`
    })
  const body = fc.oneof(
    { arbitrary: job, weight: 4 },
    { arbitrary: hostileValueText, weight: 2 },
    {
      arbitrary: fc.constantFrom(
        '{"servey":"webhook"}',
        '{"servey":"webhook","url":"http://127.0.0.1/","event":1}',
        '{"servey":"job"}',
        '{"servey":"job","v":2}',
        '',
      ),
      weight: 1,
    },
  )
  const record = fc
    .record({
      body: fc.oneof(
        { arbitrary: body.map((b): unknown => b), weight: 8 },
        { arbitrary: wrongType, weight: 1 },
      ),
      messageId: fc.oneof(
        { arbitrary: fc.constant<unknown>('m-1'), weight: 8 },
        { arbitrary: wrongType, weight: 1 },
      ),
      receiveCount: fc.oneof(fc.constantFrom<unknown>('1', '7', 'x', undefined), wrongType),
    })
    .map(({ body, messageId, receiveCount }) => ({
      messageId,
      receiptHandle: 'AQEB',
      body,
      attributes: { ApproximateReceiveCount: receiveCount },
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:servey-jobs',
    }))
  return fc.array(record, { minLength: 1, maxLength: 4 }).map((records): LambdaCase => ({
    trigger: 'lambda',
    kind: 'sqs',
    target: 'router',
    label: `sqs ${records
      .map((r) => (typeof r.body === 'string' ? r.body.slice(0, 150) : JSON.stringify(r.body)))
      .join(' | ')
      .slice(0, 300)}`,
    event: { Records: records },
  }))
}

/** Events no Servey function receives: each must be refused with a coded error. */
const otherCases = fc
  .constantFrom<unknown>(
    null,
    42,
    'x',
    [],
    [{}],
    {},
    { Records: [] },
    { Records: [1] },
    { Records: [{ eventSource: 'aws:s3' }] },
    { requestContext: { connectionId: 'c1', routeKey: '$default' }, body: '{"type":"subscribe"}' },
    { requestContext: {}, httpMethod: 1 },
    { version: '2.0', requestContext: { http: null } },
    { source: 'aws.events' },
  )
  .map((event): LambdaCase => ({
    trigger: 'lambda',
    kind: 'other',
    target: 'router',
    label: `other ${JSON.stringify(event)?.slice(0, 200)}`,
    event,
  }))

/**
 * Hostile Lambda events for the app's handler: API Gateway REST and HTTP API proxy events made
 * from the OpenAPI and GraphQL cases (so the same hostile requests reach the function as the
 * server), with fields of the wrong type or missing and base64 bodies that are not; direct
 * invocations, schedules, SQS batches, and events of no known shape.
 */
export function lambdaCases(options: {
  readonly openapi: fc.Arbitrary<HttpCase>
  readonly graphql: fc.Arbitrary<HttpCase>
  readonly templates: readonly string[]
  readonly actions: readonly LambdaAction[]
  readonly tokens: readonly string[]
}): fc.Arbitrary<LambdaCase> {
  return fc.oneof(
    { arbitrary: gatewayCases(options.openapi, options.templates), weight: 10 },
    { arbitrary: gatewayCases(options.graphql, ['/graphql']), weight: 3 },
    { arbitrary: badBase64, weight: 1 },
    { arbitrary: directCases(options.actions, options.tokens), weight: 3 },
    { arbitrary: scheduleCases(options.actions.map((a) => a.name)), weight: 1 },
    { arbitrary: sqsCases(options.actions), weight: 2 },
    { arbitrary: otherCases, weight: 1 },
  )
}
