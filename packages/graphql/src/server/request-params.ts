import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga'

function badRequest(message: string): Error {
  return createGraphQLError(message, {
    extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
  })
}

function jsonParam(params: URLSearchParams, name: 'variables' | 'extensions'): unknown {
  const text = params.get(name)
  if (text === null || text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw badRequest(`The "${name}" parameter is not valid JSON: send a URL-encoded JSON object`)
  }
}

/**
 * GET parameters as yoga reads them, but a `variables` or `extensions` that is not JSON is a
 * 400 that says so: yoga's own reader lets `JSON.parse` throw, which it answers as a 500.
 * What the values must be (objects, not arrays) yoga checks next, as for POST bodies.
 */
function parseGetRequest(request: Request): GraphQLParams {
  const url = request.url
  const params = new URLSearchParams(url.slice(url.indexOf('?') + 1))
  return {
    operationName: params.get('operationName') || undefined,
    query: params.get('query') || undefined,
    variables: jsonParam(params, 'variables') as GraphQLParams['variables'],
    extensions: jsonParam(params, 'extensions') as GraphQLParams['extensions'],
  }
}

const MISSING_QUERY =
  'The request has no GraphQL query: send {"query": "{ ... }"} as a JSON body, or ?query= in the URL'

/**
 * Request parameters refused with a 400 that names what is wrong: GET `variables` or
 * `extensions` that are not JSON, and an empty batch, and a request without a query (yoga's own answer to that
 * is a 200 for `application/json` clients, though such a request is not well-formed GraphQL
 * over HTTP).
 */
export function requestParamsPlugin(): Plugin {
  const checkQuery = ({ requestParserResult }: { requestParserResult: unknown }): void => {
    if (Array.isArray(requestParserResult)) {
      if (requestParserResult.length === 0)
        throw badRequest('The batch is empty: send at least one operation')
      return
    }
    const params = requestParserResult as GraphQLParams | null
    if (params?.query === undefined || params.query === null) throw badRequest(MISSING_QUERY)
  }
  return {
    onRequestParse({ request, setRequestParser }) {
      if (request.method === 'GET') setRequestParser(parseGetRequest)
      return { onRequestParseDone: checkQuery }
    },
  }
}
