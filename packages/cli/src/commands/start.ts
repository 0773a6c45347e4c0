import cluster from 'node:cluster'
import { createInvoker } from '@servey/core'
import { loadApp } from '../entry/load-app.ts'
import { resolveApp } from '../config/resolve-app.ts'
import { invokePluginsOf } from '../config/invoke-settings.ts'
import {
  channelsOptionsOf,
  graphqlOptionsOf,
  restOptionsOf,
  serverSettingsFrom,
} from '../config/server-settings.ts'
import { cliErrors } from '../errors.ts'
import type { CliIo } from '../io.ts'
import { appRootOf } from '../dev/app-root.ts'
import { appInfoFrom } from '../server/app-info.ts'
import { appPagesFrom } from '../server/app-pages.ts'
import { serverCache } from '../server/server-cache.ts'
import { serverJobs, shutdownTimeoutMs } from '../server/server-jobs.ts'
import { trackConnections } from '../server/connection-drain.ts'
import { serverChannels } from '../server/server-channels.ts'
import { serverLoggerOptions } from '../server/logger-options.ts'
import { devTokenWanted, serverSecurity } from '../server/server-security.ts'
import { displayOrigin, serverAddressFrom } from '../server/server-address.ts'
import { shutdownSignal } from '../server/shutdown-signal.ts'
import { serverReadiness } from '../server/server-readiness.ts'
import { workerCountFrom } from '../server/worker-count.ts'
import { loadSheddingFrom } from '../server/load-shedding-settings.ts'
import { logLevelFrom } from '../log/log-level.ts'
import { createStreamLogger } from '../log/stream-logger.ts'
import { schedulerSettingsFrom } from '../server/scheduler-settings.ts'
import type { ServeOptions } from './serve-options.ts'

/** Fastify's logger is pino, whose `flush` its type does not name. */
type FlushableLogger = { flush(callback: () => void): void }

/** `servey start`: the production server. No reload, no stacks in responses, JSON logs. */
export async function startServer(options: ServeOptions, io: CliIo): Promise<number> {
  io.env['NODE_ENV'] ??= 'production'
  const address = serverAddressFrom(options, io.env)
  const logger = serverLoggerOptions(io.env, io.cwd, io.stdout, 'start')
  const loadShedding = loadSheddingFrom(io.env)
  const { entry, config } = await resolveApp({ flag: options.entry, env: io.env, cwd: io.cwd })
  const workers = workerCountFrom(options.workers, io.env)
  if (workers > 1 && cluster.isPrimary) {
    // The primary loads no app: each worker runs this same command and everything below.
    const { runClusterPrimary } = await import('../server/cluster-primary.ts')
    return runClusterPrimary({
      count: workers,
      env: io.env,
      log: createStreamLogger(io.stdout, logLevelFrom(io.env), { primary: process.pid }),
      stopTimeoutMs: workerStopTimeoutMs(io.env),
    })
  }
  // First: with REDIS_URL and no Redis, fail at once with a clear code (SERVEY_ERR_CLI_REDIS_UNREACHABLE).
  const readiness = await serverReadiness(io.env)
  const { registry } = await loadApp(entry.path)
  const { createServer } = await import('@servey/rest')
  const { serveyGraphql } = await import('@servey/graphql')
  const { serveyChannels } = await import('@servey/channels')
  const security = await serverSecurity(io.env, { devToken: devTokenWanted(io.env, 'start') })
  const info = appInfoFrom(io.cwd)
  const settings = serverSettingsFrom(config.config, io.env, info.title)
  const cache = serverCache(io.env, false, settings.cachePrefix)
  const channels = await serverChannels(io.env)
  const jobs = serverJobs(io.env, options.worker ?? true)
  const hub = await channels.hubFor(registry, jobs.handlers)
  const invoker = createInvoker(registry, {
    authenticator: security.authenticator,
    // The config's plugins first: the result cache must not answer before them.
    plugins: [...invokePluginsOf(config.config), cache.pluginFor(registry)],
    channels: hub,
  })
  const pages = appPagesFrom(appRootOf(entry.path, io.cwd))
  const app = await createServer({
    ...restOptionsOf(settings),
    jobs: jobs.rest,
    invoker,
    health: { readiness: readiness.check },
    extend: async (server) => {
      await server.register(serveyGraphql, { invoker, dev: false, ...graphqlOptionsOf(settings) })
      await server.register(serveyChannels, {
        hub,
        authenticator: invoker,
        asyncapi: options.docs ? info : false,
        ...channelsOptionsOf(settings),
      })
    },
    dev: false,
    docs: options.docs,
    openapi: info,
    logger,
    // Requests that arrive while shutting down are answered, not refused with 503: the
    // connection drain adds `Connection: close`, so the client's next request goes elsewhere.
    fastify: { return503OnClosing: false },
    ...(loadShedding === undefined ? {} : { loadShedding }),
    ...(pages === undefined ? {} : { pages }),
    ...(security.devToken === undefined ? {} : { devToken: security.devToken }),
  })
  channels.useLog(app.log)
  // Before listening: the drain must see every connection arrive.
  const connections = trackConnections(app.server)
  const scheduler = await jobs.start(invoker, app.log)
  try {
    await app.listen({ port: address.port, host: address.host })
  } catch (error) {
    await jobs.close()
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
      ...(options.docs ? { docs: `${origin}/docs`, asyncapi: `${origin}/asyncapi` } : {}),
      graphql: `${origin}/graphql`,
      actions: registry.actions.length,
      channels: registry.channels.length,
      fanOut: channels.kind,
      jobs: scheduler.mode,
    },
    `servey start: serving ${registry.actions.length} actions at ${origin}`,
  )

  const signal = await shutdownSignal()
  const graceMs = jobs.shutdownTimeoutMs
  app.log.info({ signal, graceMs }, 'shutting down')
  // /ready answers 503 shutting_down from now on, so a load balancer stops sending requests.
  readiness.markShuttingDown()
  // All at once: the listener closes and open connections drain (at most graceMs); Fastify's
  // close sends websockets 1001 and ends event streams; schedules stop ticking and running
  // jobs finish. Jobs are still accepted meanwhile, so a request being answered is not refused.
  const [drained] = await Promise.all([
    connections.close({ graceMs }),
    app.close(),
    jobs.stopRunning(),
  ])
  if (drained.forced > 0) {
    app.log.warn(
      { connections: drained.forced, graceMs },
      'connections still open at the end of the grace period were closed',
    )
  }
  // Then jobs accepted during the drain finish (in process), and the rest closes.
  await jobs.close()
  await channels.close()
  await cache.close()
  await readiness.close()
  app.log.info({}, 'shut down')
  // pino's default stdout stream writes asynchronously: without a flush, main's exit could
  // drop this last line (it came out in some runs and not in others).
  await new Promise<void>((resolve) =>
    (app.log as unknown as FlushableLogger).flush(() => resolve()),
  )
  return 0
}

/**
 * How long the primary lets a worker shut down: the connection drain and running jobs
 * (SERVEY_SHUTDOWN_TIMEOUT each, at the same time), then jobs accepted during the drain
 * (SERVEY_SHUTDOWN_TIMEOUT again), plus time to close the rest.
 */
function workerStopTimeoutMs(env: NodeJS.ProcessEnv): number {
  return 2 * shutdownTimeoutMs(schedulerSettingsFrom(env)) + 15_000
}
