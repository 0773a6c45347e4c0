import {
  action,
  allScopes,
  anyScope,
  authenticated,
  createInvoker,
  createRegistry,
  custom,
  Type,
  web,
  WEB_DELETE,
  WEB_GET,
  WEB_POST,
} from '@servey/core'
import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { adapterTestActions as testActions } from '@servey/testing'
import { createOpenApiDocument } from './document.ts'
import { lintOpenApi } from './openapi-lint.fixture.ts'

// Loading and running Redocly and Spectral takes about 1 s alone, and has taken over vitest's
// 5 s default on a busy 2-core host (a mutation run's dry run failed on it).
const LINT_TIMEOUT_MS = 30_000

type Json = Record<string, any>

async function expectValid(document: Json): Promise<void> {
  const result = await new Validator().validate(document as never)
  expect(result.errors ?? []).toEqual([])
  expect(result.valid).toBe(true)
  expectPlainJson(document)
}

/**
 * What the validator cannot see: the document is what its JSON says (no key holding
 * `undefined`, which JSON drops and a YAML writer refuses), and every local `$ref` resolves.
 */
function expectPlainJson(document: Json): void {
  expect(JSON.parse(JSON.stringify(document))).toStrictEqual(document)
  const unresolved: string[] = []
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return
    for (const [key, value] of Object.entries(node)) {
      if (key !== '$ref') walk(value)
      else if (resolve(document, value) === undefined) unresolved.push(String(value))
    }
  }
  walk(document)
  expect(unresolved).toEqual([])
}

function resolve(document: Json, ref: unknown): unknown {
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return undefined
  return ref
    .slice(2)
    .split('/')
    .reduce<any>((node, key) => node?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], document)
}

// Every document is built inside the test that reads it, so that the mutation run
// (`ignoreStatic`) sees its construction as covered by that test rather than as static code.
function testDocument(): Json {
  return createOpenApiDocument(createRegistry(testActions), {
    title: 'Test',
    version: '1.2.3',
  }) as Json
}

describe('createOpenApiDocument', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const document = testDocument()
    expect(document.openapi).toBe('3.1.0')
    expect(document.info).toEqual({ title: 'Test', version: '1.2.3' })
    await expectValid(document)
  })

  it('has one operation per action and method with unique operationIds', () => {
    const document = testDocument()
    const ids = Object.values(document.paths as Json).flatMap((item) =>
      Object.values(item as Json).map((op) => (op as Json).operationId),
    )
    expect(new Set(ids).size).toBe(ids.length)
    expect(document.paths['/actions/say-hello'].get.operationId).toBe('sayHello')
    expect(document.paths['/actions/create-order'].post.operationId).toBe('createOrderPost')
    expect(document.paths['/orders/{id}'].put.operationId).toBe('createOrderPut')
  })

  it('documents query parameters with their examples', () => {
    const document = testDocument()
    const operation = document.paths['/actions/say-hello'].get
    expect(operation.summary).toBe('Greet a user!')
    expect(operation.description).toBe('Greet a user!')
    expect(operation.parameters).toEqual([
      {
        name: 'name',
        in: 'query',
        required: true,
        schema: { type: 'string' },
        examples: { greet_developer: { value: 'Developer' } },
      },
    ])
    expect(operation.responses['200'].content['application/json']).toEqual({
      schema: { type: 'string' },
      examples: { greet_developer: { value: 'Hello Developer!' } },
    })
  })

  it('documents bodies, path parameters and error responses', () => {
    const document = testDocument()
    const operation = document.paths['/orders/{id}'].put
    expect(operation.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
    ])
    const body = operation.requestBody.content['application/json'].schema
    expect(Object.keys(body.properties)).toEqual(['item', 'qty'])
    expect(body.required).toEqual(['item', 'qty'])
    expect(Object.keys(operation.responses)).toEqual([
      '200',
      '400',
      '408',
      '413',
      '415',
      '431',
      '500',
      '503',
      '504',
    ])
    expect(
      document.components.responses.BadRequest.content['application/problem+json'].schema,
    ).toEqual({ $ref: '#/components/schemas/Problem' })
    expect(operation.tags).toEqual(['orders'])
  })

  it('documents the limits the HTTP layer answers: 414 for a query, 408, 431 and 503 everywhere', async () => {
    const document = testDocument()
    const get = document.paths['/actions/say-hello'].get
    expect(get.responses).toMatchObject({
      '408': { $ref: '#/components/responses/RequestTimeout' },
      '414': { $ref: '#/components/responses/UriTooLong' },
      '431': { $ref: '#/components/responses/HeadersTooLarge' },
      '503': { $ref: '#/components/responses/Unavailable' },
    })
    expect(get.responses).not.toHaveProperty('413')
    expect(document.paths['/orders/{id}'].put.responses).not.toHaveProperty('414')
    expect(document.paths['/orders/{id}'].put.responses['408']).toEqual({
      $ref: '#/components/responses/RequestTimeout',
    })
    const { RequestTimeout, UriTooLong, HeadersTooLarge, Unavailable } =
      document.components.responses
    expect(RequestTimeout.description).toContain('REQUEST_TIMEOUT')
    expect(UriTooLong.description).toContain('URI_TOO_LONG')
    expect(HeadersTooLarge.description).toContain('REQUEST_HEADER_FIELDS_TOO_LARGE')
    expect(Unavailable.description).toContain('UNAVAILABLE')
    expect(Unavailable.headers['Retry-After'].schema).toEqual({ type: 'integer', minimum: 0 })
    await expectValid(document)
  })

  it('hoists named types into components/schemas', async () => {
    const Point = Type.Object({ x: Type.Number(), y: Type.Number() }, { $id: 'Point' })
    const registry = createRegistry({
      move: action(
        { triggers: [WEB_POST], params: Type.Object({ from: Point, to: Point }), result: Point },
        ({ to }) => to,
      ),
      origin: action({ triggers: [WEB_GET], result: Type.Ref('Point') }, () => ({ x: 0, y: 0 })),
    })
    const doc = createOpenApiDocument(registry) as Json
    expect(doc.components.schemas.Point).toEqual({
      type: 'object',
      required: ['x', 'y'],
      properties: { x: { type: 'number' }, y: { type: 'number' } },
    })
    expect(
      doc.paths['/actions/move'].post.requestBody.content['application/json'].schema.properties
        .from,
    ).toEqual({ $ref: '#/components/schemas/Point' })
    expect(
      doc.paths['/actions/origin'].get.responses['200'].content['application/json'].schema,
    ).toEqual({ $ref: '#/components/schemas/Point' })
    await expectValid(doc)
  })

  it('relies on the registry to refuse two different schemas with the same $id', () => {
    const build = () =>
      createRegistry({
        a: action(
          { triggers: [WEB_GET], result: Type.Object({ x: Type.Number() }, { $id: 'Thing' }) },
          () => ({ x: 1 }),
        ),
        b: action(
          { triggers: [WEB_GET], result: Type.Object({ y: Type.Number() }, { $id: 'Thing' }) },
          () => ({ y: 1 }),
        ),
      })
    expect(build).toThrow(expect.objectContaining({ code: 'SERVEY_ERR_SCHEMA_ID_CONFLICT' }))
  })

  it('is deterministic', () => {
    expect(JSON.stringify(createOpenApiDocument(createRegistry(testActions)))).toBe(
      JSON.stringify(createOpenApiDocument(createRegistry(testActions))),
    )
  })

  it('does not mark a parameter with a default as required (core fills it in)', async () => {
    const registry = createRegistry({
      search: action(
        {
          triggers: [WEB_GET, WEB_POST],
          params: Type.Object({
            q: Type.String(),
            limit: Type.Integer({ default: 10 }),
            exact: Type.Optional(Type.Boolean()),
          }),
          result: Type.Array(Type.String()),
        },
        () => [],
      ),
    })
    const doc = createOpenApiDocument(registry) as Json
    const query = doc.paths['/actions/search'].get.parameters as Json[]
    expect(query.map(({ name, required }) => ({ name, required }))).toEqual([
      { name: 'q', required: true },
      { name: 'limit', required: false },
      { name: 'exact', required: false },
    ])
    expect(query[1]!.schema).toEqual({ type: 'integer', default: 10 })
    const body = doc.paths['/actions/search'].post.requestBody
    expect(body.required).toBe(true)
    expect(body.content['application/json'].schema.required).toEqual(['q'])
    await expectValid(doc)
  })

  it('documents the 204 of a handler that returns nothing, with no content', () => {
    const built = createOpenApiDocument(createRegistry(testActions)) as Json
    const forget = built.paths['/actions/forget'].delete
    expect(forget.responses['204']).toEqual({
      description: 'No content: the action returned nothing',
    })
    // Without a result schema the action may also return a value: any JSON, 200.
    expect(forget.responses['200'].description).toBe(
      'The action result (any JSON: the action declares no result schema)',
    )
    expect(forget.responses['200'].content['application/json'].schema).toEqual({})
    // An action with a result schema always has a result.
    const sayHello = built.paths['/actions/say-hello'].get
    expect(sayHello.responses['200'].description).toBe('The action result')
    expect(sayHello.responses['204']).toBeUndefined()
  })

  it('has servers: relative by default, or the configured ones', () => {
    const document = testDocument()
    expect(document.servers).toEqual([
      { url: '/', description: 'The server that serves this document' },
    ])
    const servers = [{ url: 'https://api.example.org', description: 'Production' }]
    expect(createOpenApiDocument(createRegistry(testActions), { servers }).servers).toEqual(servers)
  })

  describe('security', () => {
    const Caller = Type.Union([Type.String(), Type.Null()])
    const registry = createRegistry({
      open: action({ triggers: [WEB_GET], result: Type.String() }, () => 'hi'),
      whoami: action(
        {
          triggers: [WEB_GET],
          result: Caller,
          examples: [
            { name: 'anonymous', params: {}, result: null },
            { name: 'ada', params: {}, authorization: { subject: 'ada' }, result: 'ada' },
          ],
        },
        (_params, { authorization }) => authorization?.subject ?? null,
      ),
      signed_in: action(
        { triggers: [WEB_GET], access: authenticated, result: Type.String() },
        () => 'hi',
      ),
      admin: action(
        { triggers: [WEB_DELETE], access: anyScope('admin', 'root'), result: Type.String() },
        () => 'gone',
      ),
      audit: action(
        { triggers: [WEB_POST], access: allScopes('audit', 'read'), result: Type.String() },
        () => 'ok',
      ),
      mine: action(
        {
          triggers: [WEB_GET],
          params: Type.Object({ owner: Type.String() }),
          access: custom<{ owner: string }>(
            (auth, { owner }) => auth?.subject === owner,
            'owner only',
          ),
          result: Type.String(),
        },
        ({ owner }) => owner,
      ),
    })
    const plainDocument = () => createOpenApiDocument(registry) as Json
    const devDocument = () => createOpenApiDocument(registry, { tokenUrl: '/token' }) as Json
    const op = (doc: Json, path: string): Json => Object.values(doc.paths[path] as Json)[0]

    it('states that public operations need no credentials: security []', () => {
      const plain = plainDocument()
      expect(op(plain, '/actions/open').security).toEqual([])
      expect(op(plain, '/actions/open').responses['401']).toBeUndefined()
    })

    it('declares an optional token for a public action that reads the caller', () => {
      const plain = plainDocument()
      const dev = devDocument()
      expect(op(plain, '/actions/whoami').security).toEqual([{}, { bearerAuth: [] }])
      expect(op(dev, '/actions/whoami').security).toEqual([
        {},
        { bearerAuth: [] },
        { oauth2Password: [] },
      ])
      // A token it is sent is verified: a bad one is a 401.
      expect(op(plain, '/actions/whoami').responses['401']).toBeDefined()
    })

    it('declares the scheme, and the scopes where a scheme can carry them', () => {
      const plain = plainDocument()
      const dev = devDocument()
      expect(op(plain, '/actions/signed-in').security).toEqual([{ bearerAuth: [] }])
      expect(op(plain, '/actions/admin').security).toEqual([{ bearerAuth: [] }])
      expect(op(plain, '/actions/admin').description).toBe('Access: any of: admin, root.')
      expect(op(dev, '/actions/admin').security).toEqual([
        { bearerAuth: [] },
        { oauth2Password: ['admin'] },
        { oauth2Password: ['root'] },
      ])
      expect(op(dev, '/actions/audit').security).toEqual([
        { bearerAuth: [] },
        { oauth2Password: ['audit', 'read'] },
      ])
      expect(op(dev, '/actions/mine').security).toEqual([
        { bearerAuth: [] },
        { oauth2Password: [] },
        {},
      ])
      expect(dev.components.securitySchemes.oauth2Password.flows.password.scopes).toEqual({
        admin: 'Scope admin',
        audit: 'Scope audit',
        read: 'Scope read',
        root: 'Scope root',
      })
    })

    it('keeps only the security schemes and responses in use', () => {
      const dev = devDocument()
      const open = createOpenApiDocument(
        createRegistry({ open: action({ triggers: [WEB_GET] }, () => 'hi') }),
        { tokenUrl: '/token' },
      ) as Json
      expect(open.components.securitySchemes).toBeUndefined()
      expect(open.components.responses.Unauthenticated).toBeUndefined()
      expect(open.components.responses.Forbidden).toBeUndefined()
      expect(Object.keys(dev.components.securitySchemes)).toEqual(['bearerAuth', 'oauth2Password'])
    })

    it('is valid', async () => {
      const plain = plainDocument()
      const dev = devDocument()
      await expectValid(plain)
      await expectValid(dev)
    })
  })

  it('gives every operation a summary and a tag', () => {
    const document = testDocument()
    const crashes = document.paths['/actions/crashes'].post
    expect(crashes.summary).toBe('Crashes')
    expect(crashes.tags).toEqual(['actions'])
    expect(document.tags).toEqual([
      { name: 'actions', description: 'Actions without a tag of their own' },
      { name: 'orders' },
    ])
    const described = createOpenApiDocument(createRegistry(testActions), {
      tags: { orders: 'Orders and their lines' },
    }) as Json
    expect(described.tags[1]).toEqual({ name: 'orders', description: 'Orders and their lines' })
  })

  it(
    "passes Redocly's recommended and Spectral's oas rulesets",
    async () => {
      const full = createOpenApiDocument(createRegistry(testActions), {
        title: 'Test',
        version: '1.2.3',
        description: 'Every input and output path of the HTTP layer',
        license: { name: 'MIT', identifier: 'MIT' },
        contact: { name: 'Servey', url: 'https://servey.dev' },
        tags: { orders: 'Orders' },
        tokenUrl: '/token',
        jobs: true,
      })
      const findings = await lintOpenApi(full)
      expect(findings.filter((finding) => finding.severity === 'error')).toEqual([])
      // The only warnings left are for actions that have no description: the app's to write.
      const warnings = findings.filter((finding) => finding.severity === 'warning')
      expect(new Set(warnings.map((finding) => `${finding.linter}:${finding.rule}`))).toEqual(
        new Set(['spectral:operation-description']),
      )
      await expectValid(full)
    },
    LINT_TIMEOUT_MS,
  )
})

describe('createOpenApiDocument: what one operation says', () => {
  const Range = Type.Object({ from: Type.String(), to: Type.String() })
  const registry = createRegistry({
    list_orders: action(
      {
        description: 'List orders\nNewest first.',
        triggers: [WEB_GET],
        access: anyScope('orders:read'),
        deprecated: true,
        tags: ['orders'],
        params: Type.Object({
          range: Type.Optional(Range),
          limit: Type.Integer({ default: 10, description: 'How many to list' }),
        }),
        result: Type.Array(Type.String()),
        examples: [
          { name: 'first_page', description: 'The newest', params: { limit: 10 }, result: ['a'] },
          { name: 'hidden', params: { limit: 1 }, result: ['b'], includeInSchema: false },
        ],
      },
      () => [],
    ),
    annotate_order: action(
      {
        triggers: [web({ method: 'PATCH', path: '/orders/:id' })],
        params: Type.Object(
          { id: Type.String(), note: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
        examples: [{ name: 'noted', description: 'Order 7', params: { id: '7', note: 'Fragile' } }],
      },
      () => undefined,
    ),
  })
  const documentOf = () => createOpenApiDocument(registry) as Json

  it('summarises with the first line of the description, and adds the access rule', () => {
    const operation = documentOf().paths['/actions/list-orders'].get
    expect(operation.summary).toBe('List orders')
    expect(operation.description).toBe('List orders\nNewest first.\n\nAccess: any of: orders:read.')
    expect(operation.deprecated).toBe(true)
    expect(operation.tags).toEqual(['orders'])
  })

  it('names an undescribed public action in words, with no description and no deprecation', () => {
    const operation = documentOf().paths['/orders/{id}'].patch
    expect(operation.summary).toBe('Annotate order')
    expect(operation).not.toHaveProperty('description')
    expect(operation).not.toHaveProperty('deprecated')
    expect(operation.tags).toEqual(['actions'])
    expect(operation.security).toEqual([])
  })

  it('documents query parameters: deepObject for an object, examples only where given', () => {
    const operation = documentOf().paths['/actions/list-orders'].get
    expect(operation.parameters).toEqual([
      {
        name: 'range',
        in: 'query',
        required: false,
        style: 'deepObject',
        explode: true,
        schema: {
          type: 'object',
          required: ['from', 'to'],
          properties: { from: { type: 'string' }, to: { type: 'string' } },
        },
      },
      {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'How many to list',
        schema: { type: 'integer', default: 10, description: 'How many to list' },
        // The example marked includeInSchema: false is left out.
        examples: { first_page: { summary: 'The newest', value: 10 } },
      },
    ])
    expect(operation.responses['200'].content['application/json'].examples).toEqual({
      first_page: { summary: 'The newest', value: ['a'] },
    })
  })

  it('documents a protected query: 401, 403 and 414, no body limits', () => {
    const operation = documentOf().paths['/actions/list-orders'].get
    expect(Object.keys(operation.responses)).toEqual([
      '200',
      '400',
      '401',
      '403',
      '408',
      '414',
      '431',
      '500',
      '503',
      '504',
    ])
    expect(operation.responses['403']).toEqual({ $ref: '#/components/responses/Forbidden' })
    expect(operation.responses['500']).toEqual({ $ref: '#/components/responses/InternalError' })
    expect(operation.responses['504']).toEqual({ $ref: '#/components/responses/Timeout' })
  })

  it('documents a body with nothing required beside the path parameter as optional', () => {
    const operation = documentOf().paths['/orders/{id}'].patch
    expect(operation.parameters).toEqual([
      {
        name: 'id',
        in: 'path',
        required: true,
        schema: { type: 'string' },
        examples: { noted: { summary: 'Order 7', value: '7' } },
      },
    ])
    // The path parameter is in the path: neither the body's schema nor its examples have it.
    expect(operation.requestBody).toEqual({
      required: false,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { note: { type: 'string' } },
            additionalProperties: false,
          },
          examples: { noted: { summary: 'Order 7', value: { note: 'Fragile' } } },
        },
      },
    })
    // The example has no result: the success answers carry no examples.
    expect(operation.responses['200'].content['application/json']).toEqual({ schema: {} })
    expect(Object.keys(operation.responses)).toEqual([
      '200',
      '204',
      '400',
      '408',
      '413',
      '415',
      '431',
      '500',
      '503',
      '504',
    ])
  })

  it(
    'gives examples that the linters find valid against a closed body schema',
    async () => {
      const findings = await lintOpenApi(documentOf())
      // Before the path parameters were left out of the body's examples, Redocly's
      // no-invalid-media-type-examples and Spectral's oas3-valid-media-example refused `id`.
      const examples = findings.filter((finding) => finding.where.includes('/examples/'))
      expect(examples).toEqual([])
      expect(findings.filter((finding) => finding.severity === 'error')).toEqual([])
    },
    LINT_TIMEOUT_MS,
  )

  it('is valid, plain JSON whose references all resolve', async () => {
    await expectValid(documentOf())
  })

  it('reads a named params type as its properties: query parameters, or an inline body', async () => {
    const Filter = Type.Object({ q: Type.String() }, { $id: 'Filter' })
    const document = createOpenApiDocument(
      createRegistry({ find: action({ triggers: [WEB_GET, WEB_POST], params: Filter }, () => 1) }),
    ) as Json
    // Before, the GET documented no parameter at all and the POST an optional body.
    expect(document.paths['/actions/find'].get.parameters).toEqual([
      { name: 'q', in: 'query', required: true, schema: { type: 'string' } },
    ])
    expect(document.paths['/actions/find'].post.requestBody).toEqual({
      required: true,
      content: {
        'application/json': {
          schema: { type: 'object', required: ['q'], properties: { q: { type: 'string' } } },
        },
      },
    })
    await expectValid(document)
  })

  it('gives each operation a unique id, numbering the ones that would clash', () => {
    const document = createOpenApiDocument(
      createRegistry({
        echo: action({ triggers: [WEB_GET, WEB_POST] }, () => 1),
        echo_get: action({ triggers: [WEB_GET] }, () => 2),
        echo_get2: action({ triggers: [WEB_GET] }, () => 3),
      }),
    ) as Json
    expect(document.paths['/actions/echo'].get.operationId).toBe('echoGet')
    expect(document.paths['/actions/echo'].post.operationId).toBe('echoPost')
    // `echo_get`'s own id is taken by `echo`'s GET, and then `echo_get2`'s by `echo_get`.
    expect(document.paths['/actions/echo-get'].get.operationId).toBe('echoGet2')
    expect(document.paths['/actions/echo-get2'].get.operationId).toBe('echoGet22')
  })
})

describe('createOpenApiDocument: the document around the operations', () => {
  const registry = createRegistry({ ping: action({ triggers: [WEB_GET] }, () => 'pong') })

  it('lists the tags in name order, the default one among them', async () => {
    const document = createOpenApiDocument(
      createRegistry({
        alpha: action({ triggers: [WEB_GET], tags: ['zeta'] }, () => 1),
        beta: action({ triggers: [WEB_GET] }, () => 2),
        gamma: action({ triggers: [WEB_GET], tags: ['beta', 'zeta'] }, () => 3),
      }),
    ) as Json
    expect(document.tags).toEqual([
      { name: 'actions', description: 'Actions without a tag of their own' },
      { name: 'beta' },
      { name: 'zeta' },
    ])
    await expectValid(document)
  })

  it('has a default title and version, and no tags for an app without web actions', async () => {
    const empty = createOpenApiDocument(createRegistry({})) as Json
    expect(empty.info).toEqual({ title: 'Servey API', version: '0.1.0' })
    expect(empty).not.toHaveProperty('tags')
    expect(empty.paths).toEqual({})
    await expectValid(empty)
  })

  it('copies the description, contact and license given', () => {
    const contact = { name: 'Servey', email: 'api@example.org', url: 'https://example.org' }
    const license = { name: 'MIT', identifier: 'MIT' }
    const document = createOpenApiDocument(registry, {
      title: 'Pings',
      version: '2.0.0',
      description: 'Answers pings',
      contact,
      license,
    }) as Json
    expect(document.info).toEqual({
      title: 'Pings',
      version: '2.0.0',
      description: 'Answers pings',
      contact,
      license,
    })
    expectPlainJson(document)
  })

  it('falls back to the relative server when the list given is empty', () => {
    const document = createOpenApiDocument(registry, { servers: [] }) as Json
    expect(document.servers).toEqual([
      { url: '/', description: 'The server that serves this document' },
    ])
  })

  it('documents an invoker as its registry', () => {
    expect(createOpenApiDocument(createInvoker(registry))).toEqual(createOpenApiDocument(registry))
  })
})
