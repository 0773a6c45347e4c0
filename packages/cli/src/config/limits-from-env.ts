import type { ChannelLimits } from '@servey/channels'
import type { GraphQLLimits } from '@servey/graphql'
import { positiveIntegerFromEnv } from './positive-integer.ts'

/** Each GraphQL limit's variable, its key in `graphql.limits`, and what it counts. */
const GRAPHQL_LIMIT_VARIABLES = [
  ['SERVEY_GRAPHQL_MAX_DEPTH', 'depth', 'levels'],
  ['SERVEY_GRAPHQL_MAX_TOKENS', 'tokens', 'tokens'],
  ['SERVEY_GRAPHQL_MAX_ALIASES', 'aliases', 'aliases'],
  ['SERVEY_GRAPHQL_MAX_COST', 'cost', 'cost points'],
  ['SERVEY_GRAPHQL_MAX_DIRECTIVES', 'directives', 'directives'],
  ['SERVEY_GRAPHQL_MAX_BATCH', 'batch', 'operations'],
] as const satisfies readonly (readonly [string, keyof GraphQLLimits, string])[]

/** Each channel limit's variable, its key in `serveyChannels`' `limits`, and its unit. */
const CHANNEL_LIMIT_VARIABLES = [
  ['SERVEY_CHANNEL_MAX_FRAME_BYTES', 'maxFrameBytes', 'bytes'],
  ['SERVEY_CHANNEL_MAX_BUFFERED_BYTES', 'maxBufferedBytes', 'bytes'],
  ['SERVEY_CHANNEL_MAX_CONNECTIONS', 'maxConnections', 'connections'],
  ['SERVEY_CHANNEL_MAX_SUBSCRIPTIONS', 'maxSubscriptions', 'subscriptions'],
] as const satisfies readonly (readonly [string, keyof ChannelLimits, string])[]

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

/**
 * The GraphQL limits: `graphql.limits` of the config, each `SERVEY_GRAPHQL_MAX_*` variable over
 * its key. Undefined when neither sets one (the adapter's defaults apply).
 */
export function graphqlLimitsFrom(
  config: GraphQLLimits | undefined,
  env: NodeJS.ProcessEnv,
): GraphQLLimits | undefined {
  let limits: Record<string, number> | undefined = config === undefined ? undefined : { ...config }
  for (const [name, key, unit] of GRAPHQL_LIMIT_VARIABLES) {
    const value = read(env, name)
    if (value === undefined) continue
    limits = { ...limits, [key]: positiveIntegerFromEnv(name, value, unit) }
  }
  return limits
}

/**
 * The websocket and SSE limits: `channels.limits` of the config, each `SERVEY_CHANNEL_MAX_*`
 * variable over its key. What neither sets keeps `@servey/channels`' default.
 */
export function channelLimitsFrom(
  config: Partial<ChannelLimits> | undefined,
  env: NodeJS.ProcessEnv,
): Partial<ChannelLimits> {
  const limits: Partial<Record<keyof ChannelLimits, number>> = { ...config }
  for (const [name, key, unit] of CHANNEL_LIMIT_VARIABLES) {
    const value = read(env, name)
    if (value !== undefined) limits[key] = positiveIntegerFromEnv(name, value, unit)
  }
  return limits
}
