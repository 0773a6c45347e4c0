/**
 * @module @servey/cli/config: `defineConfig` and the types of `servey.config.ts`. A subpath of
 * its own so a config file imports nothing but types and one identity function.
 */
export {
  defineConfig,
  type ServeyConfig,
  type ServeyServerConfig,
  type ServeyGraphqlConfig,
  type ServeyChannelsConfig,
  type ServeyCacheConfig,
  type ServeyInvokeConfig,
} from './define-config.ts'
