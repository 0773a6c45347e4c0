import fc from 'fast-check'
import {
  hostileValueText,
  notJsonText,
  objectTextFor,
  valueTextFor,
  type SchemaLike,
} from './hostile-values.ts'
import type { HttpCase } from './http-send.ts'

interface Parameter {
  readonly name: string
  readonly in: 'query' | 'path' | 'header' | 'cookie'
  readonly required?: boolean
  readonly schema?: SchemaLike
}

interface Operation {
  readonly parameters?: readonly Parameter[]
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: SchemaLike }> }
}

export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>
  readonly components?: { readonly schemas?: Readonly<Record<string, SchemaLike>> }
}

interface Endpoint {
  readonly method: string
  readonly path: string
  readonly query: readonly Parameter[]
  readonly pathParams: readonly Parameter[]
  readonly headers: readonly Parameter[]
  readonly body: SchemaLike | undefined
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options']

/** `$ref`s to components replaced by the schema, a few levels deep (enough for generation). */
function deref(
  schema: SchemaLike | undefined,
  doc: OpenApiDocument,
  depth = 0,
): SchemaLike | undefined {
  if (schema === undefined || depth > 6) return schema
  if (schema.$ref !== undefined) {
    const name = schema.$ref.split('/').pop() ?? ''
    return deref(doc.components?.schemas?.[name], doc, depth + 1)
  }
  const out: Record<string, unknown> = { ...schema }
  if (schema.properties !== undefined) {
    out['properties'] = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [key, deref(value, doc, depth + 1)]),
    )
  }
  if (schema.items !== undefined) out['items'] = deref(schema.items, doc, depth + 1)
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = schema[key]
    if (list !== undefined) out[key] = list.map((item) => deref(item, doc, depth + 1))
  }
  return out as SchemaLike
}

/** Every operation of the document, with its parameters and JSON body schema. */
export function endpointsOf(doc: OpenApiDocument): Endpoint[] {
  const endpoints: Endpoint[] = []
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue
      const parameters = (operation.parameters ?? []).map((p) => ({
        ...p,
        schema: deref(p.schema, doc),
      }))
      endpoints.push({
        method: method.toUpperCase(),
        path,
        query: parameters.filter((p) => p.in === 'query'),
        pathParams: parameters.filter((p) => p.in === 'path'),
        headers: parameters.filter((p) => p.in === 'header'),
        body: deref(operation.requestBody?.content?.['application/json']?.schema, doc),
      })
    }
  }
  return endpoints
}

/** A query value as text: what a valid JSON value looks like in a URL, or hostile text. */
const hostileQueryText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '1e309',
    '-1e309',
    'NaN',
    'Infinity',
    '%',
    '%E0%A4%A',
    '%FF%FE',
    '%00',
    '%C0%AF',
    '%2e%2e%2f',
    '[]',
    '{}',
    'true',
    'null',
    '',
    ' 5',
    '0x10',
    '1_000',
    '9007199254740993',
  ),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer({ min: 1_000, max: 40_000 }).map((n) => 'a'.repeat(n)),
)

function queryValueFor(schema: SchemaLike | undefined): fc.Arbitrary<string> {
  return fc.oneof(
    valueTextFor(schema).map((text) => {
      // Strings go in bare (the usual form), anything else as its JSON text.
      try {
        const value = JSON.parse(text) as unknown
        return encodeURIComponent(typeof value === 'string' ? value : text)
      } catch {
        return encodeURIComponent(text)
      }
    }),
    hostileQueryText,
  )
}

/** The query string: declared names with good or bad values, repeats, brackets, strangers. */
function queryFor(endpoint: Endpoint): fc.Arbitrary<string> {
  const declared = endpoint.query.map((p) =>
    fc.record({
      present: fc.boolean(),
      repeat: fc.integer({ min: 1, max: 3 }),
      key: fc.constantFrom(
        p.name,
        `${p.name}[]`,
        `${p.name}[a][b]`,
        `${p.name}.x`,
        encodeURIComponent(p.name),
      ),
      value: queryValueFor(p.schema),
    }),
  )
  const strangers = fc.array(
    fc.record({
      key: fc.oneof(
        fc.constantFrom(
          '__proto__',
          '__proto__[polluted]',
          'constructor[prototype][x]',
          'a[b][c][d][e][f][g][h]',
          '',
          '%',
          '&',
          '=',
        ),
        fc.string({ maxLength: 10 }).map(encodeURIComponent),
      ),
      value: hostileQueryText,
    }),
    { maxLength: 3 },
  )
  return fc.tuple(fc.tuple(...declared), strangers).map(([fields, extra]) => {
    const parts: string[] = []
    for (const field of fields) {
      if (!field.present && fields.length > 0) continue
      for (let i = 0; i < field.repeat; i++) parts.push(`${field.key}=${field.value}`)
    }
    for (const field of extra) parts.push(`${field.key}=${field.value}`)
    return parts.join('&')
  })
}

const pathSegmentText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent),
  fc.constantFrom('..', '.', '%2e%2e', '%2F', '%E0%A4%A', '%00', '%', 'a%2Fb', '__proto__', '%20'),
  fc.integer({ min: 101, max: 20_000 }).map((n) => 'p'.repeat(n)),
)

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/graphql',
  'application/json;;;',
  '*/*',
  '',
  'x'.repeat(2000),
)

/** What goes in the body: schema-derived JSON, hostile JSON, bad bytes, or huge. */
function bodyFor(endpoint: Endpoint): fc.Arbitrary<Buffer | string | undefined> {
  const schema = endpoint.body ?? { type: 'object' }
  return fc.oneof(
    { arbitrary: objectTextFor(schema), weight: 6 },
    { arbitrary: hostileValueText, weight: 3 },
    { arbitrary: notJsonText, weight: 1 },
    {
      // Bytes that are not UTF-8, inside and around an otherwise valid document.
      arbitrary: fc
        .uint8Array({ minLength: 1, maxLength: 40 })
        .map((bytes) =>
          Buffer.concat([Buffer.from('{"a":"'), Buffer.from(bytes), Buffer.from('"}')]),
        ),
      weight: 1,
    },
    {
      // Over the default 1 MiB body limit: 413, never a crash.
      arbitrary: fc
        .integer({ min: 1_048_000, max: 1_300_000 })
        .map((n) => `{"a":"${'x'.repeat(n)}"}`),
      weight: 1,
    },
    { arbitrary: fc.constant(undefined), weight: 1 },
  )
}

/** Header values for the declared headers (Prefer, callbacks, If-None-Match) and a few more. */
function headersFor(endpoint: Endpoint): fc.Arbitrary<Record<string, string>> {
  const declared = endpoint.headers.map((p) =>
    fc.record({
      name: fc.constant(p.name),
      present: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < 0.15),
      value: fc.oneof(
        fc.constantFrom(
          'respond-async',
          'respond-async, wait=1',
          'wait=abc',
          'http://127.0.0.1:1/callback',
          'https://user:pw@example.invalid/',
          'ftp://example.invalid/',
          'javascript:alert(1)',
          'GET',
          'DELETE',
          '*',
          'W/"x"',
          '"unterminated',
        ),
        fc.string({ maxLength: 40 }),
      ),
    }),
  )
  const extra = fc.record({
    authorization: fc.option(
      fc.constantFrom('Bearer', 'Bearer x.y.z', 'Basic Zm9vOmJhcg==', 'Bearer ' + 'a'.repeat(9000)),
      { freq: 10 },
    ),
    accept: fc.option(
      fc.constantFrom('text/html', 'application/xml', '*/*', 'text/event-stream', ''),
      { freq: 5 },
    ),
    encoding: fc.option(fc.constantFrom('gzip', 'br', 'deflate', 'identity, gzip', 'x'), {
      freq: 20,
    }),
  })
  return fc.tuple(fc.tuple(...declared), extra).map(([fields, more]) => {
    const headers: Record<string, string> = {}
    for (const field of fields) if (field.present) headers[field.name.toLowerCase()] = field.value
    if (more.authorization !== null) headers['authorization'] = more.authorization
    if (more.accept !== null) headers['accept'] = more.accept
    if (more.encoding !== null) headers['content-encoding'] = more.encoding
    return headers
  })
}

/** Hostile requests for one operation of the document. */
function casesFor(endpoint: Endpoint): fc.Arbitrary<HttpCase> {
  return fc
    .record({
      query: queryFor(endpoint),
      segments: fc.array(pathSegmentText, {
        minLength: endpoint.pathParams.length,
        maxLength: endpoint.pathParams.length,
      }),
      headers: headersFor(endpoint),
      body: bodyFor(endpoint),
      contentType: contentTypes,
      method: fc.oneof(
        { arbitrary: fc.constant(endpoint.method), weight: 12 },
        {
          arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
          weight: 1,
        },
      ),
    })
    .map(({ query, segments, headers, body, contentType, method }) => {
      let path = endpoint.path
      endpoint.pathParams.forEach((p, i) => {
        path = path.replace(`{${p.name}}`, segments[i] ?? 'x')
      })
      const target = query === '' ? path : `${path}?${query}`
      const sendsBody = method !== 'GET' && method !== 'HEAD' && body !== undefined
      const all: Record<string, string> = { ...headers }
      if (sendsBody && contentType !== '') all['content-type'] = contentType
      const preview =
        body === undefined
          ? ''
          : typeof body === 'string'
            ? body.slice(0, 120)
            : `<${body.length} bytes>`
      return {
        trigger: 'openapi' as const,
        label: `${method} ${target.slice(0, 200)} ${JSON.stringify(all).slice(0, 200)} ${sendsBody ? preview : ''}`,
        method,
        target,
        headers: all,
        ...(sendsBody ? { body } : {}),
      }
    })
}

/** Cases spread over every operation of the document, in turn. */
export function openApiCases(doc: OpenApiDocument): fc.Arbitrary<HttpCase> {
  const endpoints = endpointsOf(doc)
  return fc.oneof(...endpoints.map(casesFor))
}
