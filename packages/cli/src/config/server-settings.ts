import type { ChannelLimits } from '@servey/channels'
import type { GraphQLLimits } from '@servey/graphql'
import type {
  CompressOptions,
  CorsOptions,
  CreateServerOptions,
  HelmetOptions,
  ServerPlugin,
} from '@servey/rest'
import { cliErrors } from '../errors.ts'
import { channelLimitsFrom, graphqlLimitsFrom } from './limits-from-env.ts'
import { positiveIntegerFromEnv } from './positive-integer.ts'
import type { ServeyConfig } from './define-config.ts'

/** What `servey dev` and `servey start` build their server with: the config, env on top. */
export interface ServerSettings {
  readonly cors: CorsOptions | undefined
  readonly helmet: HelmetOptions | undefined
  readonly compress: CompressOptions | undefined
  readonly bodyLimit: number | undefined
  readonly queryLimit: number | undefined
  readonly trustProxy: boolean | number | string | readonly string[] | undefined
  readonly plugins: readonly ServerPlugin[]
  readonly graphqlLimits: GraphQLLimits | undefined
  /** From `channels.limits` and `SERVEY_CHANNEL_MAX_*`; what is unset keeps `@servey/channels`' default. */
  readonly channelLimits: Partial<ChannelLimits>
  readonly cachePrefix: string
}

const FROM_ENV = 'the environment'

function readEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

/** `true`/`false`, a hop count, or a comma-separated list of addresses and CIDRs. */
function trustProxyFromEnv(value: string): boolean | number | string[] {
  if (value === 'true') return true
  if (value === 'false') return false
  if (/^\d+$/.test(value)) return Number(value)
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
}

/** `*`, `false` (CORS off) or a comma-separated list of origins. */
function corsOriginFromEnv(value: string): boolean | string | string[] {
  if (value === 'false') return false
  if (value === '*') return '*'
  const origins = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw cliErrors.SERVEY_ERR_CONFIG_INVALID(
        'SERVEY_CORS_ORIGIN',
        FROM_ENV,
        "'*', 'false' or comma-separated origins such as https://app.example.org",
        JSON.stringify(origin),
      )
    }
  }
  return origins.length === 1 ? (origins[0] as string) : origins
}

const on = <T extends object>(value: boolean | T | undefined): T | undefined =>
  value === true ? ({} as T) : value === false || value === undefined ? undefined : value

/**
 * The server's settings: the config file's `server`, `graphql` and `cache`, then each
 * environment variable over its key (docs/reference/config.md has the table).
 */
export function serverSettingsFrom(
  config: ServeyConfig,
  env: NodeJS.ProcessEnv,
  appName: string | undefined,
): ServerSettings {
  const server = config.server ?? {}
  let cors = on<CorsOptions>(server.cors)
  const corsOrigin = readEnv(env, 'SERVEY_CORS_ORIGIN')
  if (corsOrigin !== undefined) {
    const origin = corsOriginFromEnv(corsOrigin)
    cors = origin === false ? undefined : { ...cors, origin }
  }
  const bodyLimitEnv = readEnv(env, 'SERVEY_BODY_LIMIT')
  const queryLimitEnv = readEnv(env, 'SERVEY_QUERY_LIMIT')
  const trustProxyEnv = readEnv(env, 'SERVEY_TRUST_PROXY')
  const trustProxy =
    trustProxyEnv === undefined ? server.trustProxy : trustProxyFromEnv(trustProxyEnv)
  return {
    cors,
    helmet: on<HelmetOptions>(server.helmet),
    compress: on<CompressOptions>(server.compress),
    bodyLimit:
      bodyLimitEnv === undefined
        ? server.bodyLimit
        : positiveIntegerFromEnv('SERVEY_BODY_LIMIT', bodyLimitEnv, 'bytes'),
    queryLimit:
      queryLimitEnv === undefined
        ? server.queryLimit
        : positiveIntegerFromEnv('SERVEY_QUERY_LIMIT', queryLimitEnv, 'characters'),
    trustProxy,
    plugins: server.plugins ?? [],
    graphqlLimits: graphqlLimitsFrom(config.graphql?.limits, env),
    channelLimits: channelLimitsFrom(config.channels?.limits, env),
    cachePrefix:
      readEnv(env, 'SERVEY_CACHE_PREFIX') ??
      config.cache?.prefix ??
      (appName === undefined ? 'servey:cache:' : `servey:${appName}:cache:`),
  }
}

/** The settings as `createServer` options (`@servey/rest`). */
export function restOptionsOf(
  settings: ServerSettings,
): Pick<
  CreateServerOptions,
  'cors' | 'helmet' | 'compress' | 'bodyLimit' | 'queryLimit' | 'trustProxy' | 'plugins'
> {
  return {
    ...(settings.cors === undefined ? {} : { cors: settings.cors }),
    ...(settings.helmet === undefined ? {} : { helmet: settings.helmet }),
    ...(settings.compress === undefined ? {} : { compress: settings.compress }),
    ...(settings.bodyLimit === undefined ? {} : { bodyLimit: settings.bodyLimit }),
    ...(settings.queryLimit === undefined ? {} : { queryLimit: settings.queryLimit }),
    ...(settings.trustProxy === undefined ? {} : { trustProxy: settings.trustProxy }),
    plugins: settings.plugins,
  }
}

/** The settings as `serveyGraphql` options. */
export function graphqlOptionsOf(settings: ServerSettings): { limits?: GraphQLLimits } {
  return settings.graphqlLimits === undefined ? {} : { limits: settings.graphqlLimits }
}

/** The settings as `serveyChannels` options. */
export function channelsOptionsOf(settings: ServerSettings): { limits?: Partial<ChannelLimits> } {
  return Object.keys(settings.channelLimits).length === 0 ? {} : { limits: settings.channelLimits }
}
