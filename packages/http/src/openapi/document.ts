import {
  describeAccess,
  QUERY_METHODS,
  type AccessPolicy,
  type Example,
  type Invoker,
  type Registry,
} from '@servey/core/adapter'
import { createRouteTable, type ActionRoute } from '../route-table.ts'
import { documentCachePolicy } from './cache-responses.ts'
import { documentJobs } from './job-operations.ts'
import { ComponentSchemas } from './component-schemas.ts'
import { ERROR_RESPONSES, PROBLEM_SCHEMA } from './problem-schemas.ts'

export interface OpenApiOptions {
  readonly title?: string
  readonly version?: string
  readonly description?: string
  readonly servers?: ReadonlyArray<{ readonly url: string; readonly description?: string }>
  /** Where the dev token endpoint is, if on: adds the OAuth 2 password flow for Swagger UI. */
  readonly tokenUrl?: string | undefined
  /** Document background calls: 202 answers, `Prefer` and callback headers, `/jobs/{id}`. */
  readonly jobs?: boolean
}

const BEARER = 'bearerAuth'
const OAUTH = 'oauth2Password'

/** Security requirement alternatives for an access policy (any one of them is enough). */
function securityOf(access: AccessPolicy, oauth: boolean): JsonObject[] | undefined {
  if (access.kind === 'allow_all') return undefined
  const bearer = { [BEARER]: [] }
  if (access.kind === 'custom') return [bearer, {}]
  if (access.kind === 'authenticated') return oauth ? [bearer, { [OAUTH]: [] }] : [bearer]
  if (!oauth) return [bearer]
  return access.mode === 'all'
    ? [bearer, { [OAUTH]: [...access.scopes] }]
    : [bearer, ...access.scopes.map((scope) => ({ [OAUTH]: [scope] }))]
}

type JsonObject = Record<string, unknown>

function shownExamples(route: ActionRoute): readonly Example[] {
  return route.action.definition.examples.filter((example) => example.includeInSchema !== false)
}

function exampleMap(
  examples: readonly Example[],
  pick: (example: Example) => unknown,
): JsonObject | undefined {
  const map: JsonObject = {}
  for (const example of examples) {
    const value = pick(example)
    if (value === undefined) continue
    map[example.name] =
      example.description === undefined ? { value } : { summary: example.description, value }
  }
  return Object.keys(map).length === 0 ? undefined : map
}

function operationIds(routes: readonly ActionRoute[]): Map<ActionRoute, string> {
  const perAction = new Map<string, number>()
  for (const route of routes)
    perAction.set(route.action.name, (perAction.get(route.action.name) ?? 0) + 1)
  const ids = new Map<ActionRoute, string>()
  const taken = new Set<string>()
  for (const route of routes) {
    const base = route.action.camelName
    let id =
      perAction.get(route.action.name) === 1
        ? base
        : `${base}${route.method[0]}${route.method.slice(1).toLowerCase()}`
    for (let n = 2; taken.has(id); n++) id = `${base}${n}`
    taken.add(id)
    ids.set(route, id)
  }
  return ids
}

function buildOperation(
  route: ActionRoute,
  operationId: string,
  components: ComponentSchemas,
  oauth: boolean,
): JsonObject {
  const { definition } = route.action
  const params = components.toOpenApi(definition.params)
  const properties = (params['properties'] ?? {}) as Record<string, JsonObject>
  const required = new Set((params['required'] ?? []) as string[])
  const examples = shownExamples(route)
  const parameters: JsonObject[] = []

  for (const name of route.template.params) {
    parameters.push({
      name,
      in: 'path',
      required: true,
      schema: properties[name] ?? { type: 'string' },
    })
  }
  const operation: JsonObject = { operationId }
  if (definition.description !== undefined) {
    const summary = definition.description.split('\n')[0] as string
    operation['summary'] = summary
    // A one-line description is the summary already; Swagger UI would show it twice.
    if (summary !== definition.description) operation['description'] = definition.description
  }
  if (definition.tags.length > 0) operation['tags'] = [...definition.tags]
  const security = securityOf(definition.access, oauth)
  if (security !== undefined) {
    operation['security'] = security
    const rule = `Access: ${describeAccess(definition.access)}.`
    operation['description'] =
      definition.description === undefined ? rule : `${definition.description}\n\n${rule}`
  }
  if (definition.deprecated) operation['deprecated'] = true

  const bodyProperties: Record<string, JsonObject> = {}
  for (const [name, schema] of Object.entries(properties)) {
    if (route.template.params.includes(name)) continue
    if (!QUERY_METHODS.has(route.method)) {
      bodyProperties[name] = schema
      continue
    }
    const parameter: JsonObject = { name, in: 'query', required: required.has(name), schema }
    if (schema['type'] === 'object')
      Object.assign(parameter, { style: 'deepObject', explode: true })
    const paramExamples = exampleMap(
      examples,
      (example) => (example.params as JsonObject | undefined)?.[name],
    )
    if (paramExamples !== undefined) parameter['examples'] = paramExamples
    if (typeof schema['description'] === 'string') parameter['description'] = schema['description']
    parameters.push(parameter)
  }
  if (parameters.length > 0) operation['parameters'] = parameters

  const responses: JsonObject = {}
  if (!QUERY_METHODS.has(route.method)) {
    const bodySchema: JsonObject = { ...params, properties: bodyProperties }
    const bodyRequired = [...required].filter((name) => !route.template.params.includes(name))
    if (bodyRequired.length > 0) bodySchema['required'] = bodyRequired
    else delete bodySchema['required']
    const media: JsonObject = { schema: bodySchema }
    const bodyExamples = exampleMap(examples, (example) => example.params)
    if (bodyExamples !== undefined) media['examples'] = bodyExamples
    operation['requestBody'] = {
      required: bodyRequired.length > 0,
      content: { 'application/json': media },
    }
  }
  const resultMedia: JsonObject = { schema: components.toOpenApi(definition.result) }
  const resultExamples = exampleMap(examples, (example) => example.result)
  if (resultExamples !== undefined) resultMedia['examples'] = resultExamples
  responses['200'] = {
    description: 'The action result',
    content: { 'application/json': resultMedia },
  }
  documentCachePolicy(route.action, route.method, parameters, responses)
  if (parameters.length > 0) operation['parameters'] = parameters
  responses['400'] = { $ref: '#/components/responses/BadRequest' }
  if (security !== undefined) responses['401'] = { $ref: '#/components/responses/Unauthenticated' }
  if (definition.access.kind === 'scopes' || definition.access.kind === 'custom') {
    responses['403'] = { $ref: '#/components/responses/Forbidden' }
  }
  if (!QUERY_METHODS.has(route.method)) {
    responses['413'] = { $ref: '#/components/responses/PayloadTooLarge' }
    responses['415'] = { $ref: '#/components/responses/UnsupportedMediaType' }
  }
  responses['500'] = { $ref: '#/components/responses/InternalError' }
  responses['504'] = { $ref: '#/components/responses/Timeout' }
  operation['responses'] = responses
  return operation
}

function securitySchemes(routes: readonly ActionRoute[], tokenUrl: string | undefined): JsonObject {
  const schemes: JsonObject = {
    [BEARER]: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'Authorization: Bearer <JWT>',
    },
  }
  if (tokenUrl === undefined) return schemes
  const scopes: Record<string, string> = {}
  for (const route of routes) {
    const access = route.action.definition.access
    if (access.kind === 'scopes')
      for (const scope of access.scopes) scopes[scope] = `Scope ${scope}`
  }
  schemes[OAUTH] = {
    type: 'oauth2',
    description: 'Development token endpoint (servey dev): any username, the printed password',
    flows: { password: { tokenUrl, scopes } },
  }
  return schemes
}

/**
 * The OpenAPI 3.1 document of every web-triggered action: one operation per action and
 * method, unique operationIds, named types under `components/schemas`, the action's examples
 * and the problem+json error responses. Pure: the same registry gives the same document.
 */
export function createOpenApiDocument(
  source: Registry | Invoker,
  options: OpenApiOptions = {},
): JsonObject {
  const registry = 'registry' in source ? source.registry : source
  const routes = createRouteTable(registry, { pages: false }).actionRoutes
  const components = new ComponentSchemas()
  const ids = operationIds(routes)
  const paths: Record<string, JsonObject> = {}
  for (const route of routes) {
    const path = route.template.openApiPath
    const item = (paths[path] ??= {})
    item[route.method.toLowerCase()] = buildOperation(
      route,
      ids.get(route) as string,
      components,
      options.tokenUrl !== undefined,
    )
  }
  const tags = [...new Set(routes.flatMap((route) => route.action.definition.tags))]
    .sort()
    .map((name) => ({ name }))
  const info: JsonObject = {
    title: options.title ?? 'Servey API',
    version: options.version ?? '0.1.0',
  }
  if (options.description !== undefined) info['description'] = options.description
  const document: JsonObject = { openapi: '3.1.0', info }
  if (options.servers !== undefined) document['servers'] = options.servers
  if (tags.length > 0) document['tags'] = tags
  document['paths'] = paths
  document['components'] = {
    schemas: { ...components.schemas, Problem: PROBLEM_SCHEMA },
    responses: ERROR_RESPONSES,
    securitySchemes: securitySchemes(routes, options.tokenUrl),
  }
  if (options.jobs === true) documentJobs(document, routes)
  return document
}
