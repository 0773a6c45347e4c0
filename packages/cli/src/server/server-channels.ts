import {
  createChannelHub,
  createMemoryChannelBackend,
  type ChannelBackend,
  type ChannelHandlerRuntime,
  type ChannelHub,
  type Logger,
  type Registry,
} from '@servey/core'

export interface ServerChannels {
  readonly kind: string
  /** A hub over this process's backend, for one loaded version of the app (dev reloads). */
  hubFor(registry: Registry, log?: Logger, handlers?: ChannelHandlerRuntime): ChannelHub
  close(): Promise<void>
}

/**
 * The channel fan-out of a server process: in process (history kept across dev reloads, since
 * the backend outlives each version's hub).
 */
export function serverChannels(_env: NodeJS.ProcessEnv): ServerChannels {
  const backend: ChannelBackend = createMemoryChannelBackend()
  let hub: ChannelHub | undefined
  return {
    kind: backend.kind,
    hubFor(registry, log, handlers) {
      void hub?.close()
      hub = createChannelHub(registry, {
        backend,
        ...(log === undefined ? {} : { log }),
        ...(handlers === undefined ? {} : { handlers }),
      })
      return hub
    },
    async close() {
      await hub?.close()
      await backend.close()
    },
  }
}
