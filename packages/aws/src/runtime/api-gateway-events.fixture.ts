/**
 * API Gateway proxy events shaped like the samples in the AWS documentation ("Input format of
 * a Lambda function for proxy integration" for REST APIs, payload format 1.0; "Working with
 * AWS Lambda proxy integrations for HTTP APIs", payload format 2.0), with the fields a test
 * varies given as options. Every field AWS sends is present, so the adapter is tested against
 * the real shape, not a minimal one.
 */
export interface GatewayEventOptions {
  readonly method?: string
  /** The concrete path: `/actions/items/42`. */
  readonly path: string
  /** The matched template: `/actions/items/{id}`; default the path (no parameters). */
  readonly resource?: string
  readonly pathParameters?: Record<string, string>
  /** Decoded query values, as API Gateway hands them over. */
  readonly query?: Record<string, string | string[]>
  /** HTTP API only: the raw query string; default built from `query`. */
  readonly rawQuery?: string
  readonly headers?: Record<string, string>
  readonly cookies?: string[]
  readonly body?: string
  readonly base64?: boolean
  readonly requestId?: string
  readonly stage?: string
}

const EPOCH = 1_764_950_400_000

export function restApiEvent(options: GatewayEventOptions): Record<string, unknown> {
  const method = options.method ?? 'GET'
  const resource = options.resource ?? options.path
  const headers = {
    Accept: '*/*',
    'Accept-Encoding': 'gzip, deflate, br',
    Host: '1234567890.execute-api.us-east-1.amazonaws.com',
    'User-Agent': 'curl/8.5.0',
    'X-Amzn-Trace-Id': 'Root=1-5e66d96f-7491f09xmpl79d18acf3d050',
    'X-Forwarded-For': '203.0.113.7',
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
    ...options.headers,
  }
  const query = options.query
  const stage = options.stage ?? 'dev'
  return {
    resource,
    path: options.path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, [value]]),
    ),
    queryStringParameters:
      query === undefined
        ? null
        : Object.fromEntries(
            Object.entries(query).map(([key, value]) => [
              key,
              Array.isArray(value) ? value.at(-1) : value,
            ]),
          ),
    multiValueQueryStringParameters:
      query === undefined
        ? null
        : Object.fromEntries(
            Object.entries(query).map(([key, value]) => [
              key,
              Array.isArray(value) ? value : [value],
            ]),
          ),
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: '1234567890',
      authorizer: null,
      domainName: '1234567890.execute-api.us-east-1.amazonaws.com',
      domainPrefix: '1234567890',
      extendedRequestId: 'BQGojGkyoAMFL_w=',
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.7',
        user: null,
        userAgent: 'curl/8.5.0',
        userArn: null,
      },
      path: `/${stage}${options.path}`,
      protocol: 'HTTP/1.1',
      requestId: options.requestId ?? 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTime: '05/Dec/2026:15:00:00 +0000',
      requestTimeEpoch: EPOCH,
      resourceId: 'abcdef',
      resourcePath: resource,
      stage,
    },
    body: options.body ?? null,
    isBase64Encoded: options.base64 ?? false,
  }
}

export function httpApiEvent(options: GatewayEventOptions): Record<string, unknown> {
  const method = options.method ?? 'GET'
  const route = options.resource ?? options.path
  const stage = options.stage ?? '$default'
  const rawPath = stage === '$default' ? options.path : `/${stage}${options.path}`
  const query = options.query ?? {}
  const rawQuery =
    options.rawQuery ??
    Object.entries(query)
      .flatMap(([key, value]) =>
        (Array.isArray(value) ? value : [value]).map(
          (item) => `${encodeURIComponent(key)}=${encodeURIComponent(item)}`,
        ),
      )
      .join('&')
  const queryParameters = Object.fromEntries(
    Object.entries(query).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.join(',') : value,
    ]),
  )
  return {
    version: '2.0',
    routeKey: route === '$default' ? '$default' : `${method} ${route}`,
    rawPath,
    rawQueryString: rawQuery,
    ...(options.cookies === undefined ? {} : { cookies: options.cookies }),
    headers: {
      accept: '*/*',
      'content-length': String(options.body?.length ?? 0),
      host: 'r3pmxmplak.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'curl/8.5.0',
      'x-amzn-trace-id': 'Root=1-5e6722a7-cc56xmpl46db7ae02d4da47e',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...options.headers,
    },
    ...(Object.keys(queryParameters).length === 0
      ? {}
      : { queryStringParameters: queryParameters }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'r3pmxmplak',
      domainName: 'r3pmxmplak.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'r3pmxmplak',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'curl/8.5.0',
      },
      requestId: options.requestId ?? 'JKJaXmPLvHcESHA=',
      routeKey: route === '$default' ? '$default' : `${method} ${route}`,
      stage,
      time: '05/Dec/2026:15:00:00 +0000',
      timeEpoch: EPOCH,
    },
    ...(options.pathParameters === undefined ? {} : { pathParameters: options.pathParameters }),
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: options.base64 ?? false,
  }
}
