import { createInvoker } from '@servey/core'
import { loadApp } from '../entry/load-app.ts'
import { resolveEntry } from '../entry/resolve-entry.ts'
import { cliErrors } from '../errors.ts'
import type { CliIo } from '../io.ts'
import { appInfoFrom } from '../server/app-info.ts'
import { serverLoggerOptions } from '../server/logger-options.ts'
import { devTokenWanted, serverSecurity } from '../server/server-security.ts'
import { displayOrigin, serverAddressFrom } from '../server/server-address.ts'
import { shutdownSignal } from '../server/shutdown-signal.ts'
import type { ServeOptions } from './serve-options.ts'

/** `servey start`: the production server. No reload, no stacks in responses, JSON logs. */
export async function startServer(options: ServeOptions, io: CliIo): Promise<number> {
  io.env['NODE_ENV'] ??= 'production'
  const address = serverAddressFrom(options, io.env)
  const logger = serverLoggerOptions(io.env, io.cwd)
  const entry = resolveEntry({ flag: options.entry, env: io.env, cwd: io.cwd })
  const { registry } = await loadApp(entry.path)
  const { createServer } = await import('@servey/rest')
  const security = await serverSecurity(io.env, { devToken: devTokenWanted(io.env, 'start') })
  const app = await createServer({
    invoker: createInvoker(registry, { authenticator: security.authenticator }),
    dev: false,
    docs: options.docs,
    openapi: appInfoFrom(io.cwd),
    logger,
    ...(security.devToken === undefined ? {} : { devToken: security.devToken }),
  })
  try {
    await app.listen({ port: address.port, host: address.host })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw cliErrors.SERVEY_ERR_CLI_PORT_IN_USE(String(address.port), address.host)
    }
    throw error
  }
  const protectedActions = registry.actions.filter((action) =>
    ['authenticated', 'scopes'].includes(action.definition.access.kind),
  )
  if (security.generatedSecret !== undefined && protectedActions.length > 0) {
    app.log.warn(
      { actions: protectedActions.map((action) => action.name) },
      'JWT_SECRET_KEY is not set, so no bearer token can be verified: these actions answer 401',
    )
  }
  if (security.devToken !== undefined) {
    // Explicitly asked for with SERVEY_DEV_TOKEN=1; the password is printed so it can be used.
    app.log.warn(
      { password: security.devToken.password },
      'the development token endpoint POST /token is on',
    )
  }
  const port = app.server.address()
  const origin = displayOrigin(
    address.host,
    typeof port === 'object' && port !== null ? port.port : address.port,
  )
  app.log.info(
    {
      api: origin,
      ...(options.docs ? { docs: `${origin}/docs` } : {}),
      actions: registry.actions.length,
    },
    `servey start: serving ${registry.actions.length} actions at ${origin}`,
  )

  const signal = await shutdownSignal()
  app.log.info({ signal }, 'shutting down')
  await app.close()
  return 0
}
