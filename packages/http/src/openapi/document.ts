import {
  ComponentSchemas,
  describeAccess,
  QUERY_METHODS,
  type Example,
  type Invoker,
  type Registry,
} from '@servey/core/adapter'
import { createRouteTable, type ActionRoute } from '../route-table.ts'
import { documentCachePolicy } from './cache-responses.ts'
import { documentJobs } from './job-operations.ts'
import { ERROR_RESPONSES, PROBLEM_SCHEMA } from './problem-schemas.ts'
import { securityOf, securitySchemes } from './security.ts'
import { successResponses } from './success-responses.ts'
import { dropUnusedComponents } from './unused-components.ts'

export interface OpenApiServer {
  readonly url: string
  readonly description?: string
}

export interface OpenApiOptions {
  readonly title?: string
  readonly version?: string
  readonly description?: string
  /** `info.license`; an SPDX id such as `MIT` (`license` of package.json) is enough. */
  readonly license?: { readonly name: string; readonly identifier?: string; readonly url?: string }
  /** `info.contact`. */
  readonly contact?: { readonly name?: string; readonly email?: string; readonly url?: string }
  /**
   * Where the API is. Default `[{ url: '/' }]`: relative, so the API is on the host that
   * serves the document. The REST adapter puts the request's origin there when none is set.
   */
  readonly servers?: readonly OpenApiServer[]
  /** Descriptions of the actions' tags, by tag name. */
  readonly tags?: Readonly<Record<string, string>>
  /**
   * A token endpoint (the dev one, or an identity provider's): adds an OAuth 2 password flow
   * that lists every scope, so protected operations name the scopes they need.
   */
  readonly tokenUrl?: string | undefined
  /** Document background calls: 202 answers, `Prefer` and callback headers, `/jobs/{id}`. */
  readonly jobs?: boolean
}

/** The default `servers`: the API is where the document is. */
export const RELATIVE_SERVERS: readonly OpenApiServer[] = [
  { url: '/', description: 'The server that serves this document' },
]

/** The tag of actions that declare none; linters and Swagger UI want every operation tagged. */
export const DEFAULT_TAG = 'actions'
const DEFAULT_TAG_DESCRIPTION = 'Actions without a tag of their own'

type JsonObject = Record<string, unknown>

const COMPONENT_SCHEMAS = '#/components/schemas/'

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

/**
 * An example's params as a body carries them: without the path parameters. They are an
 * object: core checks every example against the params schema.
 */
function bodyExampleOf(params: unknown, pathParams: readonly string[]): JsonObject {
  const entries = Object.entries(params as JsonObject)
  return Object.fromEntries(entries.filter(([name]) => !pathParams.includes(name)))
}

/**
 * The params schema, hoisted, as an object whose properties become parameters and a body. A
 * named params type (`Type.Object(..., { $id })`) is hoisted whole into the components,
 * leaving only a `$ref` here: its properties are read from the component.
 */
function paramsObjectOf(components: ComponentSchemas, schema: unknown): JsonObject {
  const hoisted = components.hoist(schema)
  const ref = hoisted['$ref']
  if (typeof ref !== 'string') return hoisted
  return components.schemas[ref.slice(COMPONENT_SCHEMAS.length)] as JsonObject
}

/** `say_hello` → `Say hello`: the summary of an action with no description. */
function sentenceOf(name: string): string {
  const words = name
    .split('_')
    .filter((word) => word.length > 0)
    .join(' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
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
  const params = paramsObjectOf(components, definition.params)
  const properties = (params['properties'] ?? {}) as Record<string, JsonObject>
  // A parameter with a default is filled in by core's validator, so a client may leave it out.
  const required = new Set(
    ((params['required'] ?? []) as string[]).filter(
      (name) => properties[name]?.['default'] === undefined,
    ),
  )
  const examples = shownExamples(route)
  const parameters: JsonObject[] = []

  const paramExamples = (name: string) =>
    exampleMap(examples, (example) => (example.params as JsonObject)[name])
  for (const name of route.template.params) {
    const parameter: JsonObject = {
      name,
      in: 'path',
      required: true,
      schema: properties[name] ?? { type: 'string' },
    }
    const pathExamples = paramExamples(name)
    if (pathExamples !== undefined) parameter['examples'] = pathExamples
    parameters.push(parameter)
  }
  const operation: JsonObject = {
    operationId,
    summary: definition.description?.split('\n')[0] ?? sentenceOf(route.action.name),
  }
  const security = securityOf(definition, oauth)
  const rule = security.length === 0 ? undefined : `Access: ${describeAccess(definition.access)}.`
  const description = [definition.description, rule].filter((part) => part !== undefined)
  if (description.length > 0) operation['description'] = description.join('\n\n')
  operation['tags'] = definition.tags.length > 0 ? [...definition.tags] : [DEFAULT_TAG]
  operation['security'] = security
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
    const queryExamples = paramExamples(name)
    if (queryExamples !== undefined) parameter['examples'] = queryExamples
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
    // The path parameters go in the path: the body's examples leave them out, as its schema
    // does (a schema without additional properties would refuse its own examples).
    const bodyExamples = exampleMap(examples, (example) =>
      bodyExampleOf(example.params, route.template.params),
    )
    if (bodyExamples !== undefined) media['examples'] = bodyExamples
    operation['requestBody'] = {
      required: bodyRequired.length > 0,
      content: { 'application/json': media },
    }
  }
  const resultMedia: JsonObject = { schema: components.hoist(definition.result) }
  const resultExamples = exampleMap(examples, (example) => example.result)
  if (resultExamples !== undefined) resultMedia['examples'] = resultExamples
  Object.assign(responses, successResponses(definition, resultMedia))
  documentCachePolicy(route.action, route.method, parameters, responses)
  if (parameters.length > 0) operation['parameters'] = parameters
  responses['400'] = { $ref: '#/components/responses/BadRequest' }
  if (security.length > 0) responses['401'] = { $ref: '#/components/responses/Unauthenticated' }
  if (definition.access.kind === 'scopes' || definition.access.kind === 'custom') {
    responses['403'] = { $ref: '#/components/responses/Forbidden' }
  }
  // The limits the HTTP layer answers before the action runs: the query string's length where
  // the input is the query, the body's size and type where it is the body, the time to send
  // the request (headers on every method, so 408 everywhere) and the header block's size
  // everywhere, and 503 when the server sheds load or is shutting down.
  responses['408'] = { $ref: '#/components/responses/RequestTimeout' }
  if (QUERY_METHODS.has(route.method)) {
    responses['414'] = { $ref: '#/components/responses/UriTooLong' }
  } else {
    responses['413'] = { $ref: '#/components/responses/PayloadTooLarge' }
    responses['415'] = { $ref: '#/components/responses/UnsupportedMediaType' }
  }
  responses['431'] = { $ref: '#/components/responses/HeadersTooLarge' }
  responses['500'] = { $ref: '#/components/responses/InternalError' }
  responses['503'] = { $ref: '#/components/responses/Unavailable' }
  responses['504'] = { $ref: '#/components/responses/Timeout' }
  operation['responses'] = responses
  return operation
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
  const tagNames = routes.flatMap((route) => {
    const { tags } = route.action.definition
    return tags.length > 0 ? tags : [DEFAULT_TAG]
  })
  const tags = [...new Set(tagNames)].sort().map((name) => {
    const description =
      options.tags?.[name] ?? (name === DEFAULT_TAG ? DEFAULT_TAG_DESCRIPTION : undefined)
    return description === undefined ? { name } : { name, description }
  })
  const info: JsonObject = {
    title: options.title ?? 'Servey API',
    version: options.version ?? '0.1.0',
  }
  if (options.description !== undefined) info['description'] = options.description
  if (options.contact !== undefined) info['contact'] = { ...options.contact }
  if (options.license !== undefined) info['license'] = { ...options.license }
  const servers =
    options.servers === undefined || options.servers.length === 0
      ? RELATIVE_SERVERS
      : options.servers
  const document: JsonObject = {
    openapi: '3.1.0',
    info,
    servers: servers.map((server) => ({ ...server })),
  }
  if (tags.length > 0) document['tags'] = tags
  document['paths'] = paths
  document['components'] = {
    schemas: { ...components.schemas, Problem: PROBLEM_SCHEMA },
    responses: ERROR_RESPONSES,
    securitySchemes: securitySchemes(routes, options.tokenUrl),
  }
  if (options.jobs === true) documentJobs(document, routes, options.tokenUrl !== undefined)
  dropUnusedComponents(document)
  return document
}
