import type { ActionRoute } from '../route-table.ts'
import { BEARER, OAUTH } from './security.ts'

type JsonObject = Record<string, unknown>

const problemRef = (name: string) => ({ $ref: `#/components/responses/${name}` })

const JOB_STATE_SCHEMA = {
  type: 'object',
  description: 'A background call: its status, and its result or error once it ends',
  required: ['id', 'action', 'status', 'progress', 'subject', 'createdAt'],
  properties: {
    id: { type: 'string' },
    action: { type: 'string' },
    status: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] },
    progress: { type: 'number', minimum: 0, maximum: 100 },
    subject: { type: ['string', 'null'], description: 'Who started it (null: anonymous)' },
    createdAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    result: { description: 'The action result, once succeeded' },
    error: { $ref: '#/components/schemas/Problem' },
  },
} as const

const JOB_ACCEPTED_SCHEMA = {
  type: 'object',
  required: ['id', 'action', 'status', 'location'],
  properties: {
    id: { type: 'string' },
    action: { type: 'string' },
    status: { type: 'string', const: 'queued' },
    location: { type: 'string', description: '/jobs/<id>' },
  },
} as const

const JOBS_TAG = {
  name: 'jobs',
  description: 'Background calls: their status, result and cancellation',
}

function jobsPath(oauth: boolean): JsonObject {
  // Anyone may read an anonymous job by its id; a signed-in caller reads their own ones.
  const security = [{}, { [BEARER]: [] }, ...(oauth ? [{ [OAUTH]: [] }] : [])]
  const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }
  const state = { 'application/json': { schema: { $ref: '#/components/schemas/JobState' } } }
  const notFound = {
    description: 'No such job, or not yours (NOT_FOUND)',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  }
  return {
    get: {
      operationId: 'getJob',
      summary: 'Status, progress and result of a background call',
      description:
        'Visible to the subject who started the job, or to the admin scope. Finished jobs are kept for the configured retention time.',
      tags: [JOBS_TAG.name],
      security,
      parameters: [idParameter],
      responses: {
        '200': { description: 'The job', content: state },
        '401': problemRef('Unauthenticated'),
        '404': notFound,
      },
    },
    delete: {
      operationId: 'cancelJob',
      summary: 'Cancel a background call',
      description:
        "The handler's signal fires; the answer is the job, cancelled. Allowed to the subject who started it, or to the admin scope.",
      tags: [JOBS_TAG.name],
      security,
      parameters: [idParameter],
      responses: {
        '200': { description: 'The job, cancelled', content: state },
        '401': problemRef('Unauthenticated'),
        '404': notFound,
        '409': {
          description: 'The job has already ended (CONFLICT)',
          content: {
            'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
          },
        },
      },
    },
  }
}

function callbackOperation(route: ActionRoute, resultSchema: unknown): JsonObject {
  const names = route.action.definition.async.callbackHeaders
  return {
    [`{$request.header.${names.url}}`]: {
      post: {
        summary: `The outcome of ${route.action.name}, sent when the job ends`,
        description: `Sent with the method of ${names.method} (default POST), retried with exponential backoff (5 attempts by default) until a 2xx answer. With ${names.key}, a success is sent as { "<key>": result } instead. Verify the Servey-Signature header: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> keyed with SERVEY_CALLBACK_SECRET.`,
        // The receiver checks Servey-Signature instead of credentials.
        security: [],
        parameters: [
          {
            name: 'Servey-Signature',
            in: 'header',
            required: true,
            description: 't=<unix seconds>,v1=<hex HMAC-SHA256>',
            schema: { type: 'string' },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['jobId', 'action', 'status'],
                properties: {
                  jobId: { type: 'string' },
                  action: { type: 'string' },
                  status: { type: 'string', enum: ['succeeded', 'failed', 'cancelled'] },
                  result: resultSchema,
                  error: { $ref: '#/components/schemas/Problem' },
                },
              },
            },
          },
        },
        responses: {
          '2XX': { description: 'Received' },
          '4XX': { description: 'Refused: retried with backoff, as any answer but a 2xx' },
          '5XX': { description: 'Failed: retried with backoff' },
        },
      },
    },
  }
}

/**
 * Adds background calls to a document: on every web operation the `Prefer` and callback
 * headers, the 202 answer and the callback request; and the `/jobs/{id}` operations.
 */
export function documentJobs(
  document: JsonObject,
  routes: readonly ActionRoute[],
  oauth: boolean,
): void {
  const paths = document['paths'] as Record<string, Record<string, JsonObject>>
  for (const route of routes) {
    const operation = paths[route.template.openApiPath]?.[route.method.toLowerCase()]
    if (operation === undefined) continue
    const { always, callbackHeaders } = route.action.definition.async
    const parameters = (operation['parameters'] ?? []) as JsonObject[]
    if (!always) {
      parameters.push({
        name: 'Prefer',
        in: 'header',
        required: false,
        description: 'respond-async (RFC 7240): run as a background job and answer 202 at once',
        schema: { type: 'string', examples: ['respond-async'] },
      })
    }
    parameters.push(
      {
        name: callbackHeaders.url,
        in: 'header',
        required: false,
        description:
          'Run as a job and send its outcome to this http(s) URL when it ends. Private, loopback and link-local addresses are refused.',
        schema: { type: 'string', format: 'uri' },
      },
      {
        name: callbackHeaders.method,
        in: 'header',
        required: false,
        description: 'Method of the callback: POST (default), PUT or PATCH',
        schema: { type: 'string', enum: ['POST', 'PUT', 'PATCH'] },
      },
      {
        name: callbackHeaders.key,
        in: 'header',
        required: false,
        description: 'Send { "<key>": result } to the callback instead of the job outcome',
        schema: { type: 'string' },
      },
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'For a background call: a retry with the same key (and the same params) answers 202 with the first job instead of queuing a second one, while that job is kept. A quoted or bare key of 1 to 255 visible ASCII characters; a random UUID makes a good one.',
        schema: { type: 'string', examples: ['"8e03978e-40d5-43e8-bc93-6894a57f9324"'] },
      },
    )
    operation['parameters'] = parameters
    const responses = operation['responses'] as Record<string, unknown>
    const ok = responses['200'] as { content?: Record<string, { schema?: unknown }> } | undefined
    responses['202'] = {
      description: always
        ? 'Accepted: this action always runs as a background job'
        : 'Accepted as a background job (Prefer: respond-async or a callback header)',
      headers: {
        Location: { description: '/jobs/<id>', schema: { type: 'string' } },
        'Preference-Applied': {
          description: 'respond-async, when asked',
          schema: { type: 'string' },
        },
      },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/JobAccepted' } } },
    }
    responses['422'] = {
      description:
        'The Idempotency-Key was already used with other params (IDEMPOTENCY_KEY_REUSED)',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    }
    if (always) delete responses['200']
    operation['callbacks'] = {
      outcome: callbackOperation(route, ok?.content?.['application/json']?.schema ?? {}),
    }
  }
  paths['/jobs/{id}'] = jobsPath(oauth) as Record<string, JsonObject>
  const tags = ((document['tags'] ?? []) as { name: string }[]).filter(
    (tag) => tag.name !== JOBS_TAG.name,
  )
  document['tags'] = [...tags, JOBS_TAG].sort((a, b) => a.name.localeCompare(b.name))
  const components = document['components'] as { schemas: Record<string, unknown> }
  components.schemas['JobState'] = JOB_STATE_SCHEMA
  components.schemas['JobAccepted'] = JOB_ACCEPTED_SCHEMA
}
