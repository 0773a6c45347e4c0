import {
  action,
  anyScope,
  authenticated,
  createInvoker,
  createJwtAuthenticator,
  createJwtIssuer,
  createRegistry,
  Type,
  WEB_GET,
  type JwtAuthenticatorOptions,
} from '@servey/core'
import type { FastifyInstance } from 'fastify'
import { createServer, type CreateServerOptions } from './create-server.ts'

export const SECRET = 'a-test-secret-that-is-long-enough-for-hs256!'
export const DEV_PASSWORD = 'correct horse battery staple'

/** The showcase's two security actions, plus a public one. */
export const secureActions = {
  echo_authorization: action(
    { triggers: [WEB_GET], access: authenticated, description: 'Returns the caller authorization' },
    (_params, { authorization }) => authorization,
  ),
  only_for_root: action(
    { triggers: [WEB_GET], access: anyScope('root'), result: Type.String() },
    () => 'Some Secret Data!',
  ),
  public_info: action({ triggers: [WEB_GET], result: Type.String() }, () => 'public'),
}

export async function buildSecureApp(
  auth: JwtAuthenticatorOptions = { secret: SECRET },
  options: Partial<CreateServerOptions> = {},
): Promise<FastifyInstance> {
  const invoker = createInvoker(createRegistry(secureActions), {
    authenticator: await createJwtAuthenticator(auth),
  })
  return createServer({
    invoker,
    devToken: { password: DEV_PASSWORD, issuer: createJwtIssuer({ secret: SECRET }) },
    ...options,
  })
}
