import { ActionError, createInvoker, type DirectTrigger, type Registry } from '@servey/core'
import { loadApp } from '../entry/load-app.ts'
import { resolveApp } from '../config/resolve-app.ts'
import { invokePluginsOf } from '../config/invoke-settings.ts'
import type { CliIo } from '../io.ts'
import { logLevelFrom } from '../log/log-level.ts'
import { createStreamLogger } from '../log/stream-logger.ts'
import { cliErrors } from '../errors.ts'
import { parseClaims } from '../run/parse-claims.ts'
import { readEvent } from '../run/read-event.ts'
import { HANDLER_FAILED_EXIT_CODE, type RunHandlers } from '../run/run-handlers.ts'

export interface RunOptions {
  readonly action: string
  readonly event?: string
  readonly entry?: string
  /** Dev only: JSON claims of a trusted caller. */
  readonly claims?: string
  /** A bearer token, verified with the JWT_* settings exactly as a request's would be. */
  readonly token?: string
  /** Dev only: the space- or comma-separated scopes of a trusted caller. */
  readonly scopes?: string
  readonly subject?: string
}

/**
 * The caller of a run: a bearer token (verified by core), or in development a trusted caller
 * made from --scopes or --claims. Production accepts only real tokens: an unsigned caller
 * there would be a way around every access rule.
 */
async function callerOf(options: RunOptions, env: NodeJS.ProcessEnv) {
  const trusted =
    options.claims !== undefined
      ? '--claims'
      : options.scopes !== undefined
        ? '--scopes'
        : undefined
  if (options.token !== undefined && trusted !== undefined) {
    throw new ActionError('BAD_REQUEST', `Pass either --token or ${trusted}, not both`)
  }
  if (options.token !== undefined) {
    const { serverSecurity } = await import('../server/server-security.ts')
    const { authenticator, generatedSecret } = await serverSecurity(env, { devToken: false })
    return {
      authenticator,
      authorizationHeader: `Bearer ${options.token}`,
      keyIsGenerated: generatedSecret !== undefined,
    }
  }
  if (trusted === undefined) return { authorization: null }
  if (env['NODE_ENV'] === 'production')
    throw cliErrors.SERVEY_ERR_CLI_TRUSTED_CALLER_IN_PRODUCTION(trusted)
  if (options.claims !== undefined) return { authorization: parseClaims(options.claims) }
  const scopes = (options.scopes ?? '').split(/[\s,]+/).filter((scope) => scope !== '')
  return { authorization: { subject: options.subject ?? 'cli', scopes, claims: {} } }
}

/**
 * A token whose signature fails here was usually signed by another process: `servey dev`
 * without JWT_SECRET_KEY signs with a key of its own that this process cannot know. Say so,
 * naming the setting that makes both sides agree. Key setups other than a shared secret
 * (JWT_PUBLIC_KEY, JWT_JWKS_URL) keep the plain message.
 */
function signatureHint(
  error: ActionError,
  keyIsGenerated: boolean,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const reason = (error.data as { reason?: unknown } | undefined)?.reason
  if (error.code !== 'UNAUTHENTICATED' || reason !== 'invalid_signature') return undefined
  if (keyIsGenerated) {
    return 'JWT_SECRET_KEY is not set, so this command made up a key of its own and cannot verify a token signed elsewhere (servey dev without JWT_SECRET_KEY signs with a key made for its run); set the same JWT_SECRET_KEY for the server and for servey run'
  }
  const secretOnly = [env['JWT_PUBLIC_KEY'], env['JWT_JWKS_URL']].every(
    (value) => value === undefined || value === '',
  )
  return secretOnly
    ? 'it was not signed with this JWT_SECRET_KEY; the server that issued it must use the same value'
    : undefined
}

const CLI_TRIGGER: DirectTrigger = Object.freeze({ kind: 'direct', via: 'cli' })

async function unknownAction(name: string, registry: Registry): Promise<ActionError> {
  const known = registry.actions.map((action) => action.name)
  // Loaded only on this path: a successful run never pays for it.
  const { suggestName } = await import('../run/suggest-name.ts')
  const suggestion = suggestName(name, known)
  const hint =
    suggestion !== undefined
      ? ` Did you mean ${suggestion}?`
      : known.length === 0
        ? ' The app has no actions.'
        : ' Run `servey actions` to list them.'
  return new ActionError('UNKNOWN_ACTION', `No action is named '${name}'.${hint}`)
}

/**
 * `servey run`: one call through the same pipeline every transport uses (access, validation,
 * timeout, result check), printing the JSON result on stdout. Failures throw; the CLI maps them to a
 * message and an exit code.
 */
export async function runAction(options: RunOptions, io: CliIo): Promise<number> {
  const log = createStreamLogger(io.stderr, logLevelFrom(io.env))
  const { entry, config } = await resolveApp({ flag: options.entry, env: io.env, cwd: io.cwd })
  const input = await readEvent({ flag: options.event, stdin: io.stdin, cwd: io.cwd })
  const caller = await callerOf(options, io.env)
  // One action of many runs: compile its validators on first use, not all of them up front.
  const { registry } = await loadApp(entry.path, { compile: 'lazy' })
  if (registry.get(options.action) === undefined) {
    throw await unknownAction(options.action, registry)
  }

  // Only an app with channels needs them (and, with REDIS_URL, a connection to Redis); only
  // channels with handlers need a job runner and a webhook sender.
  let handlers: RunHandlers | undefined
  if (registry.channels.some((channel) => channel.handlers.length > 0)) {
    const { runHandlers } = await import('../run/run-handlers.ts')
    handlers = runHandlers(io.env, log)
  }
  const channels =
    registry.channels.length === 0
      ? undefined
      : await (
          await import('../server/publishing-channels.ts')
        ).publishingChannels(io.env, registry, log, handlers?.runtime)
  let outcome
  let handlerFailures: string[] = []
  try {
    const invoker = createInvoker(registry, {
      log,
      plugins: invokePluginsOf(config.config),
      ...('authenticator' in caller ? { authenticator: caller.authenticator } : {}),
      ...(channels === undefined ? {} : { channels: channels.hub }),
    })
    handlers?.use(invoker)
    outcome = await invoker.invoke({
      action: options.action,
      input,
      trigger: CLI_TRIGGER,
      ...('authorizationHeader' in caller
        ? { authorizationHeader: caller.authorizationHeader }
        : { authorization: caller.authorization }),
    })
    // The result is known: show it now, then wait for the handlers the action set off.
    if (outcome.ok) io.stdout.write(`${JSON.stringify(outcome.result) ?? 'null'}\n`)
    // Whatever the outcome: an action that published and then failed still set them off.
    handlerFailures = (await handlers?.finish()) ?? []
  } finally {
    await channels?.close()
  }
  for (const failure of handlerFailures) io.stderr.write(`${failure}\n`)
  if (!outcome.ok) {
    const { error } = outcome
    // At a terminal "requires a bearer token" leaves the way to send one unsaid.
    if (
      error.code === 'UNAUTHENTICATED' &&
      'authorization' in caller &&
      caller.authorization === null
    ) {
      const hint = 'pass --token <jwt>, or in development --scopes <scopes>'
      throw new ActionError('UNAUTHENTICATED', `${error.message}: ${hint}`, { cause: error })
    }
    const keyHint =
      'authorizationHeader' in caller
        ? signatureHint(error, caller.keyIsGenerated === true, io.env)
        : undefined
    if (keyHint !== undefined) {
      throw new ActionError('UNAUTHENTICATED', `${error.message}: ${keyHint}`, { cause: error })
    }
    throw error
  }
  return handlerFailures.length === 0 ? 0 : HANDLER_FAILED_EXIT_CODE
}
