import type { InvokeHooks, InvokePlugin } from '@servey/core'
import type { CompressOptions, CorsOptions, HelmetOptions, ServerPlugin } from '@servey/rest'
import type { GraphQLLimits } from '@servey/graphql'
import type { ChannelLimits } from '@servey/channels'

/** Server options of `servey dev` and `servey start`; see docs/reference/config.md. */
export interface ServeyServerConfig {
  /**
   * CORS through @fastify/cors: `true` allows every origin (`*`), an object is passed to the
   * plugin (`{ origin: ['https://app.example.org'], credentials: true }`). Default off.
   * `SERVEY_CORS_ORIGIN` overrides the origin.
   */
  readonly cors?: boolean | CorsOptions
  /**
   * Security headers through @fastify/helmet. `true` uses a Content-Security-Policy that keeps
   * the docs pages (`/docs`, `/redoc`, `/graphql`, `/asyncapi`) working; an object is merged
   * over it. Default off.
   */
  readonly helmet?: boolean | HelmetOptions
  /** Response compression (br, gzip, deflate) through @fastify/compress. Default off. */
  readonly compress?: boolean | CompressOptions
  /** Largest accepted body in bytes. Default 1 MiB (1048576). `SERVEY_BODY_LIMIT` overrides it. */
  readonly bodyLimit?: number
  /**
   * Longest accepted query string in characters; longer answers 414 `URI_TOO_LONG`. Default
   * 16 KiB (16384). `SERVEY_QUERY_LIMIT` overrides it.
   */
  readonly queryLimit?: number
  /**
   * Fastify's `trustProxy`: read the client's address, host and protocol from `X-Forwarded-*`
   * when the server is behind a proxy. `true`, a hop count, or addresses/CIDRs. Default false.
   * `SERVEY_TRUST_PROXY` overrides it.
   */
  readonly trustProxy?: boolean | number | string | readonly string[]
  /** More Fastify plugins, registered in order after CORS, helmet and compression, before the routes. */
  readonly plugins?: readonly ServerPlugin[]
}

export interface ServeyGraphqlConfig {
  /** Depth, tokens, aliases, cost, directives and batch limits of each request. */
  readonly limits?: GraphQLLimits
}

export interface ServeyChannelsConfig {
  /**
   * Websocket and SSE limits of each server process (`ChannelLimits` of `@servey/channels`):
   * frame and buffered bytes, connections, subscriptions per connection, heartbeat and auth
   * timeouts. What is left out keeps its default; `SERVEY_CHANNEL_MAX_*` override their keys.
   */
  readonly limits?: Partial<ChannelLimits>
}

export interface ServeyCacheConfig {
  /**
   * Put before every key of the server-side result cache, so apps that share one Redis never
   * read each other's results. Default `servey:<package name>:cache:`. `SERVEY_CACHE_PREFIX`
   * overrides it.
   */
  readonly prefix?: string
}

/**
 * Plugins and hooks of core's invoke pipeline: they run on every call of every action, whatever
 * fired it (REST, GraphQL, pages, schedules, background jobs, channel handlers, `servey run`).
 * See docs/reference/pipeline.md#hooks for what each hook may do.
 */
export interface ServeyInvokeConfig {
  /** Plugins (`{ name, onRequest?, onInvoke?, onResult?, onError? }`), in order. */
  readonly plugins?: readonly InvokePlugin[]
  /** Hooks without a plugin of their own; they run after those of `plugins`. */
  readonly hooks?: InvokeHooks
}

/** The contents of `servey.config.ts`. Every key is optional. */
export interface ServeyConfig {
  /** The actions module, relative to the config file. `--entry` and `SERVEY_ENTRY` override it. */
  readonly entry?: string
  readonly server?: ServeyServerConfig
  readonly graphql?: ServeyGraphqlConfig
  readonly channels?: ServeyChannelsConfig
  readonly cache?: ServeyCacheConfig
  readonly invoke?: ServeyInvokeConfig
}

/**
 * Declare an app's configuration with types: `export default defineConfig({ ... })` in
 * `servey.config.ts`. It returns the object unchanged; the CLI checks it when it loads it.
 */
export function defineConfig<const Config extends ServeyConfig>(config: Config): Config {
  return config
}
