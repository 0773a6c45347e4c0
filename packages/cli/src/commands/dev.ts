import { basename, dirname, isAbsolute, relative } from 'node:path'
import { createInvoker, type Registry } from '@servey/core'
import type { createServer as CreateServer } from '@servey/rest'
import { appRootOf } from '../dev/app-root.ts'
import { createCoalescingQueue } from '../dev/coalescing-queue.ts'
import { registerReloadHooks } from '../dev/register-reload-hooks.ts'
import { createSwappableServer } from '../dev/swappable-server.ts'
import { watchSources } from '../dev/watch-sources.ts'
import { loadApp } from '../entry/load-app.ts'
import { CONFIG_FILES } from '../config/load-config.ts'
import { resolveApp, type ResolvedApp } from '../config/resolve-app.ts'
import { invokePluginsOf } from '../config/invoke-settings.ts'
import {
  channelsOptionsOf,
  graphqlOptionsOf,
  restOptionsOf,
  serverSettingsFrom,
} from '../config/server-settings.ts'
import { ensureTypeScriptLoader } from '../entry/typescript-loader.ts'
import type { CliIo } from '../io.ts'
import { formatError } from '../report-error.ts'
import { appInfoFrom } from '../server/app-info.ts'
import { appPagesFrom } from '../server/app-pages.ts'
import { serverChannels } from '../server/server-channels.ts'
import { serverCache } from '../server/server-cache.ts'
import { jobsSummary } from '../server/jobs-summary.ts'
import { serverJobs } from '../server/server-jobs.ts'
import { listen } from '../server/listen.ts'
import { serverLoggerOptions } from '../server/logger-options.ts'
import { devTokenWanted, serverSecurity } from '../server/server-security.ts'
import { displayOrigin, serverAddressFrom } from '../server/server-address.ts'
import { shutdownSignal } from '../server/shutdown-signal.ts'
import { serverReadiness } from '../server/server-readiness.ts'
import { sendUnavailable } from '../server/unavailable-response.ts'
import type { ServeOptions } from './serve-options.ts'

type RestApp = Awaited<ReturnType<typeof CreateServer>>

/** How long a connection idle at shutdown stays open for a request already on its way. */
const DEV_IDLE_LINGER_MS = 500

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

/**
 * `servey dev`: serve the app, and on every change to its sources load a fresh copy and swap
 * it in between two requests. A version that fails to load is reported and never served: the
 * last good version keeps answering. Schedules, background jobs and callbacks run as in
 * `servey start` (in this process, or on Redis with REDIS_URL); a reload restarts them on the
 * new code while jobs already running finish on the old.
 */
export async function startDevServer(options: ServeOptions, io: CliIo): Promise<number> {
  io.env['NODE_ENV'] ??= 'development'
  const address = serverAddressFrom(options, io.env)
  const logger = serverLoggerOptions(io.env, io.cwd, io.stdout, 'dev')
  const started = await resolveApp({ flag: options.entry, env: io.env, cwd: io.cwd })
  // As servey start: with REDIS_URL and no Redis, stop at once (SERVEY_ERR_CLI_REDIS_UNREACHABLE);
  // then GET /ready PINGs it, and answers 503 shutting_down once a signal arrives.
  const readiness = await serverReadiness(io.env)
  const { entry } = started
  const root = appRootOf(entry.path, io.cwd)
  await ensureTypeScriptLoader()
  registerReloadHooks(root)
  const { createServer, handleClientError, MAX_HEADER_SIZE } = await import('@servey/rest')
  const { serveyGraphql } = await import('@servey/graphql')
  const { serveyChannels } = await import('@servey/channels')
  const openapi = appInfoFrom(io.cwd)
  // Once per process, so tokens stay valid across reloads.
  const security = await serverSecurity(io.env, { devToken: devTokenWanted(io.env, 'dev') })

  // Checked once before anything starts, so a wrong environment override stops the command.
  serverSettingsFrom(started.config.config, io.env, openapi.title)
  const cache = serverCache(io.env, true)
  const channels = await serverChannels(io.env)
  // One job store for every version, so a job started before a reload stays readable.
  const jobs = serverJobs(io.env, options.worker ?? true)
  let jobsMode: 'in-process' | 'redis' | undefined
  // Templates are read on each request in dev; the folders themselves are looked up once.
  const pages = appPagesFrom(root)
  let version = 0
  let current: RestApp | undefined
  let loadError: unknown
  const host = createSwappableServer((_request, response) => sendUnavailable(response, loadError), {
    // As @servey/rest's own servers: room for a large bearer token, which core then judges.
    maxHeaderSize: MAX_HEADER_SIZE,
  })
  // The socket is this server's, not the app's: its parser errors (431, 408, 400) are
  // answered here, as problem+json like on @servey/rest's own servers.
  host.server.on('clientError', handleClientError)

  let registry: Registry | undefined
  let servedEntry = entry.path
  // The watched directory and the reload hooks' root are fixed at start (the watcher and Node's
  // loader hooks cannot move). An entry that a reloaded config moves out of it is still served,
  // but a change to it is not seen and its imports are not re-evaluated: say so, once per move.
  const warnIfUnwatched = (path: string, configFile: string | undefined): void => {
    if (isInside(path, root)) return
    const by = configFile === undefined ? 'the entry' : relative(io.cwd, configFile)
    io.stderr.write(
      `warning: ${by} now names ${relative(io.cwd, path) || path}, outside the watched directory ${root}: servey dev serves it, but does not see changes to it or reload the files it imports; restart servey dev to watch its directory\n`,
    )
  }
  const load = async (): Promise<number> => {
    version += 1
    // The config is part of the app: each reload reads it again (and what it imports from the
    // app, as the same version as the actions), so an edit to it, or to a plugin file it
    // imports, takes effect like an edit to an action. One that fails to load or to check is
    // reported like broken code, and the previous version keeps serving.
    const { entry: appEntry, config }: ResolvedApp =
      version === 1
        ? started
        : await resolveApp({ flag: options.entry, env: io.env, cwd: io.cwd, reload: version })
    const settings = serverSettingsFrom(config.config, io.env, openapi.title)
    if (appEntry.path !== servedEntry) warnIfUnwatched(appEntry.path, config.file)
    servedEntry = appEntry.path
    const loaded = await loadApp(appEntry.path, { reload: version })
    const hub = await channels.hubFor(loaded.registry, jobs.handlers)
    const invoker = createInvoker(loaded.registry, {
      authenticator: security.authenticator,
      // The config's plugins first: the result cache must not answer before them.
      plugins: [
        ...invokePluginsOf(config.config),
        cache.pluginFor(loaded.registry, settings.cachePrefix),
      ],
      channels: hub,
    })
    const app = await createServer({
      ...restOptionsOf(settings),
      jobs: jobs.rest,
      invoker,
      health: { readiness: readiness.check },
      extend: async (server) => {
        await server.register(serveyGraphql, { invoker, dev: true, ...graphqlOptionsOf(settings) })
        await server.register(serveyChannels, {
          hub,
          authenticator: invoker,
          asyncapi: options.docs ? openapi : false,
          ...channelsOptionsOf(settings),
        })
      },
      dev: true,
      docs: options.docs,
      openapi,
      logger,
      // While shutting down, requests are answered (the drain adds `Connection: close`), not 503.
      fastify: { return503OnClosing: false },
      ...(pages === undefined ? {} : { pages }),
      ...(security.devToken === undefined ? {} : { devToken: security.devToken }),
    })
    // Schedules and new jobs move to the new code; jobs already running finish on the old.
    if (jobsMode === undefined) jobsMode = (await jobs.start(invoker, app.log)).mode
    else await jobs.reload(invoker)
    registry = loaded.registry
    current = app
    channels.useLog(app.log)
    const previous = host.swap(app) as RestApp | undefined
    loadError = undefined
    // Requests already running on the old version finish; its onClose hooks run now.
    await previous?.close()
    return loaded.registry.actions.length
  }

  const reportFailure = (error: unknown): void => {
    loadError = error
    const after = current === undefined ? 'waiting for a fix' : 'still serving the previous version'
    io.stderr.write(`${formatError(error)}\n${after}\n`)
  }

  let actionCount: number | undefined
  // The paths changed since the last reload began, to say what the reload is for.
  let changed = new Set<string>()
  const reloads = createCoalescingQueue(async () => {
    const startedAt = performance.now()
    const configChange = [...changed].find((path) => isConfigFile(path, io.cwd))
    changed = new Set()
    if (configChange !== undefined && version > 0) {
      io.stdout.write(`${relative(io.cwd, configChange)} changed: reloading with the new config\n`)
    }
    try {
      const count = await load()
      // The first load is announced with the URLs; later ones are reloads.
      if (version === 1) {
        actionCount = count
      } else {
        const took = Math.round(performance.now() - startedAt)
        io.stdout.write(`reloaded in ${took} ms (${plural(count, 'action')})\n`)
      }
    } catch (error) {
      reportFailure(error)
    }
  })
  // Watch before the first load, so no change made while it runs is missed.
  const watcher = await watchSources(root, {
    onChange: (paths) => {
      for (const path of paths) changed.add(path)
      reloads.request()
    },
    ...(logger.file === undefined ? {} : { ignore: [logger.file] }),
    // The config lives in the working directory, which is not watched when the entry lies
    // outside it.
    ...(started.config.file === undefined || root === io.cwd
      ? {}
      : { also: [started.config.file] }),
  })
  await watcher.ready
  reloads.request()
  await reloads.idle()

  let port: number
  try {
    port = await listen(host.server, address)
  } catch (error) {
    await watcher.close()
    throw error
  }
  const origin = displayOrigin(address.host, port)
  const loaded = actionCount === undefined ? '' : `, ${plural(actionCount, 'action')}`
  const lines = [
    `servey dev: ${relative(io.cwd, entry.path) || entry.path}${loaded}`,
    `  API   ${origin}`,
    ...(options.docs ? [`  Docs  ${origin}/docs`] : []),
    `  GraphQL ${origin}/graphql`,
    ...(options.docs ? [`  Channels ${origin}/asyncapi (AsyncAPI docs, try it)`] : []),
    ...(security.devToken === undefined
      ? []
      : [
          `  Token ${origin}/token (any username, password ${security.devToken.password})`,
          `        curl -d grant_type=password -d username=dev -d password=${security.devToken.password} ${origin}/token`,
        ]),
    ...(security.devTokenUnavailable === undefined
      ? []
      : [`  Token endpoint off: ${security.devTokenUnavailable}`]),
    ...(registry === undefined || jobsMode === undefined
      ? []
      : jobsSummary(registry, jobsMode, io.env['REDIS_URL'])),
    // Never the key itself: a banner ends up in terminals, screenshots and CI logs.
    ...(security.generatedSecret === undefined
      ? []
      : [
          'JWT_SECRET_KEY is not set: tokens are signed with a key made for this run (they stop working when it exits; set JWT_SECRET_KEY to keep them, or to use them with servey run --token)',
        ]),
    `watching ${root} for changes`,
  ]
  io.stdout.write(`${lines.join('\n')}\n`)

  await shutdownSignal()
  io.stdout.write('shutting down\n')
  readiness.markShuttingDown()
  await watcher.close()
  await reloads.idle()
  // As servey start, all at once: the listener closes and connections drain; the app's close
  // sends websockets 1001; schedules stop ticking. Connections idle at the signal get a
  // shorter linger than in production: a browser tab keeps one open, and Ctrl-C should be quick.
  await Promise.all([
    host.close(jobs.shutdownTimeoutMs, DEV_IDLE_LINGER_MS),
    current?.close(),
    jobs.stopRunning(),
  ])
  await jobs.close()
  await channels.close()
  await cache.close()
  await readiness.close()
  return 0
}

/** Whether `path` lies in `dir` (or is it). */
function isInside(path: string, dir: string): boolean {
  const fromDir = relative(dir, path)
  return !(fromDir.startsWith('..') || isAbsolute(fromDir))
}

/** Whether `path` is one of the config files `servey` looks for in `cwd`. */
function isConfigFile(path: string, cwd: string): boolean {
  return dirname(path) === cwd && (CONFIG_FILES as readonly string[]).includes(basename(path))
}
