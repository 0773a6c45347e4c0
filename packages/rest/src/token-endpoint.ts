import { createHash, timingSafeEqual } from 'node:crypto'
import formbody from '@fastify/formbody'
import rateLimit from '@fastify/rate-limit'
import type { TokenIssuer } from '@servey/core/adapter'
import type { FastifyInstance, FastifyReply } from 'fastify'

export interface DevTokenOptions {
  /** The one password that the endpoint accepts, for any username. */
  readonly password: string
  /** Signs the tokens; must match the invoker's authenticator. */
  readonly issuer: TokenIssuer
  /** Failed and successful attempts allowed per client address per minute. Default 10. */
  readonly maxAttemptsPerMinute?: number
}

// Hashing first gives equal-length buffers, so the comparison takes the same time whatever
// the guess, and the password length does not leak either.
function samePassword(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(given), digest(expected))
}

/** RFC 6749 §5.2: OAuth clients (Swagger UI among them) read `error`, not a problem body. */
function oauthError(
  reply: FastifyReply,
  status: number,
  error: string,
  description: string,
): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ error, error_description: description })
}

interface TokenRequest {
  grant_type?: unknown
  username?: unknown
  password?: unknown
  scope?: unknown
}

/**
 * `POST /token`: the OAuth 2 password grant (RFC 6749 §4.3), for development only. Registered
 * in its own encapsulated context, so the form parser and the rate limit apply here and
 * nowhere else: action routes still take JSON only.
 */
export async function registerTokenEndpoint(
  app: FastifyInstance,
  options: DevTokenOptions,
): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(formbody)
    await scope.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        error: 'slow_down',
        error_description: `Too many attempts; retry in ${Math.ceil(context.ttl / 1000)} s`,
      }),
    })
    scope.post(
      '/token',
      {
        config: { rateLimit: { max: options.maxAttemptsPerMinute ?? 10, timeWindow: 60_000 } },
        schema: { hide: true },
      },
      async (request, reply) => {
        const body = (
          typeof request.body === 'object' && request.body !== null ? request.body : {}
        ) as TokenRequest
        if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
          return oauthError(
            reply,
            400,
            'invalid_request',
            'Send application/x-www-form-urlencoded fields',
          )
        }
        if (body.grant_type !== 'password') {
          return oauthError(
            reply,
            400,
            'unsupported_grant_type',
            'Only grant_type=password is supported',
          )
        }
        if (
          typeof body.username !== 'string' ||
          body.username === '' ||
          typeof body.password !== 'string'
        ) {
          return oauthError(reply, 400, 'invalid_request', 'username and password are required')
        }
        if (!samePassword(body.password, options.password)) {
          return oauthError(reply, 400, 'invalid_grant', 'Incorrect username or password')
        }
        const scopes =
          typeof body.scope === 'string' ? body.scope.split(' ').filter((item) => item !== '') : []
        const { token, expiresIn } = await options.issuer.issue({ subject: body.username, scopes })
        return reply.header('cache-control', 'no-store').send({
          access_token: token,
          token_type: 'bearer',
          expires_in: expiresIn,
          scope: scopes.join(' '),
        })
      },
    )
  })
}
