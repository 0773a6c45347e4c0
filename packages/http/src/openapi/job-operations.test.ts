import { action, createRegistry, Type, WEB_GET, WEB_POST } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { createOpenApiDocument } from './document.ts'

type Json = Record<string, any>

// `createOpenApiDocument(..., { jobs: true })`: what documentJobs adds for background calls.
const registry = createRegistry({
  add: action(
    {
      triggers: [WEB_POST],
      params: Type.Object({ a: Type.Number(), b: Type.Number() }),
      result: Type.Number(),
      tags: ['math'],
    },
    ({ a, b }) => a + b,
  ),
  report: action(
    {
      triggers: [WEB_GET],
      result: Type.String(),
      async: { callbackHeaders: { url: 'Reply-To', key: 'Reply-Key' } },
      tags: ['jobs'],
    },
    () => 'done',
  ),
})

function documentOf(tokenUrl?: string): Json {
  return createOpenApiDocument(registry, {
    jobs: true,
    ...(tokenUrl === undefined ? {} : { tokenUrl }),
  }) as Json
}

/** Every `description` and `summary` in the document, with where it is. */
function texts(node: unknown, at = '', found: [string, unknown][] = []): [string, unknown][] {
  if (typeof node !== 'object' || node === null) return found
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'description' || key === 'summary') && typeof value !== 'object')
      found.push([`${at}/${key}`, value])
    else texts(value, `${at}/${key}`, found)
  }
  return found
}

// Each test builds its own document: the mutation run (`ignoreStatic`) only counts what a
// test runs, not what a file does as it loads.
const addOf = (document: Json): Json => document.paths['/actions/add'].post
const reportOf = (document: Json): Json => document.paths['/actions/report'].get

describe('background calls in the OpenAPI document', () => {
  it('adds Prefer and the callback headers to an operation that may run as a job', () => {
    const document = documentOf()
    const add = addOf(document)
    expect(add.parameters).toEqual([
      expect.objectContaining({
        name: 'Prefer',
        in: 'header',
        required: false,
        schema: { type: 'string', examples: ['respond-async'] },
      }),
      expect.objectContaining({
        name: 'Servey-Callback-URL',
        in: 'header',
        required: false,
        schema: { type: 'string', format: 'uri' },
      }),
      expect.objectContaining({
        name: 'Servey-Callback-Method',
        in: 'header',
        required: false,
        schema: { type: 'string', enum: ['POST', 'PUT', 'PATCH'] },
      }),
      expect.objectContaining({
        name: 'Servey-Callback-Key',
        in: 'header',
        required: false,
        schema: { type: 'string' },
      }),
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
    ])
    expect(add.responses['422']).toEqual({
      description: expect.stringContaining('IDEMPOTENCY_KEY_REUSED'),
      content: {
        'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
      },
    })
  })

  it('answers 202 with Location beside the 200 when a job is asked for', () => {
    const document = documentOf()
    const add = addOf(document)
    expect(add.responses['200']).toBeDefined()
    expect(add.responses['202']).toEqual({
      description: expect.stringContaining('Prefer: respond-async or a callback header'),
      headers: {
        Location: { description: '/jobs/<id>', schema: { type: 'string' } },
        'Preference-Applied': { description: expect.any(String), schema: { type: 'string' } },
      },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/JobAccepted' } } },
    })
  })

  it('documents an always-async action with its own header names, a 202 and no 200 or Prefer', () => {
    const document = documentOf()
    const report = reportOf(document)
    expect(report.parameters.map((parameter: Json) => parameter.name)).toEqual([
      'Reply-To',
      'Servey-Callback-Method',
      'Reply-Key',
      'Idempotency-Key',
    ])
    expect(report.responses['200']).toBeUndefined()
    expect(report.responses['202'].description).toBe(
      'Accepted: this action always runs as a background job',
    )
  })

  it('describes the callback request, signed and carrying the result schema', () => {
    const document = documentOf()
    const add = addOf(document)
    const report = reportOf(document)
    const callback = add.callbacks.outcome['{$request.header.Servey-Callback-URL}'].post
    expect(callback.summary).toBe('The outcome of add, sent when the job ends')
    expect(callback.description).toContain('Servey-Callback-Method')
    expect(callback.description).toContain('Servey-Callback-Key')
    expect(callback.security).toEqual([])
    expect(callback.parameters).toEqual([
      expect.objectContaining({
        name: 'Servey-Signature',
        in: 'header',
        required: true,
        schema: { type: 'string' },
      }),
    ])
    const body = callback.requestBody
    expect(body.required).toBe(true)
    // The job's outcome, with the action's result schema in it.
    expect(body.content['application/json'].schema).toEqual({
      type: 'object',
      required: ['jobId', 'action', 'status'],
      properties: {
        jobId: { type: 'string' },
        action: { type: 'string' },
        status: { type: 'string', enum: ['succeeded', 'failed', 'cancelled'] },
        result: { type: 'number' },
        error: { $ref: '#/components/schemas/Problem' },
      },
    })
    expect(Object.keys(callback.responses)).toEqual(['2XX', '4XX', '5XX'])
    // An always-async action has no 200 in the document, but its callback still carries its
    // result schema.
    const reportCallback = report.callbacks.outcome['{$request.header.Reply-To}'].post
    const reportBody = reportCallback.requestBody.content['application/json'].schema
    expect(reportBody.properties.result).toEqual({ type: 'string' })
  })

  it('adds GET and DELETE /jobs/{id}, anonymous or with a token', () => {
    const document = documentOf()
    const jobs = document.paths['/jobs/{id}']
    const parameters = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]
    const state = { 'application/json': { schema: { $ref: '#/components/schemas/JobState' } } }
    const problem = {
      'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
    }
    const common = { tags: ['jobs'], security: [{}, { bearerAuth: [] }], parameters }
    const responses = {
      '200': { content: state },
      '401': { $ref: '#/components/responses/Unauthenticated' },
      '404': { content: problem },
    }
    expect(jobs.get).toMatchObject({ operationId: 'getJob', ...common, responses })
    expect(jobs.delete).toMatchObject({
      operationId: 'cancelJob',
      ...common,
      responses: { ...responses, '409': { content: problem } },
    })
    expect(documentOf('/token').paths['/jobs/{id}'].get.security).toEqual([
      {},
      { bearerAuth: [] },
      { oauth2Password: [] },
    ])
  })

  it('adds the jobs tag once, in order, and the job schemas', () => {
    const document = documentOf()
    expect(document.tags.map((tag: Json) => tag.name)).toEqual(['jobs', 'math'])
    expect(document.tags[0].description).toBe(
      'Background calls: their status, result and cancellation',
    )
    expect(document.components.schemas.JobState).toMatchObject({
      type: 'object',
      required: ['id', 'action', 'status', 'progress', 'subject', 'createdAt'],
      properties: {
        status: { enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] },
        error: { $ref: '#/components/schemas/Problem' },
      },
    })
    expect(document.components.schemas.JobAccepted).toMatchObject({
      required: ['id', 'action', 'status', 'location'],
      properties: { status: { type: 'string', const: 'queued' } },
    })
  })

  it('leaves no description or summary empty', () => {
    const document = documentOf()
    const empty = texts(document).filter(([, text]) => typeof text !== 'string' || text === '')
    expect(empty).toEqual([])
    expect(texts(document).length).toBeGreaterThan(30)
  })

  it('adds nothing without the jobs option', () => {
    const plain = createOpenApiDocument(registry) as Json
    expect(plain.paths['/jobs/{id}']).toBeUndefined()
    expect(plain.paths['/actions/add'].post.responses['202']).toBeUndefined()
    expect(plain.components.schemas.JobState).toBeUndefined()
  })

  it('documents /jobs/{id} and its tag for an app with no web action', () => {
    const document = createOpenApiDocument(createRegistry({}), { jobs: true }) as Json
    expect(Object.keys(document.paths)).toEqual(['/jobs/{id}'])
    expect(document.tags).toEqual([
      { name: 'jobs', description: 'Background calls: their status, result and cancellation' },
    ])
  })
})
