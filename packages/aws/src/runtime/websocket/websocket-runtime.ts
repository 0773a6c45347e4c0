import type { Logger, Registry } from '@servey/core'
import { createConnectionPoster, type ConnectionPoster } from './connection-poster.ts'
import type { ConnectionStore } from './connection-store.ts'
import { createDynamoConnectionStore } from './dynamo-connection-store.ts'
import { createWebsocketBackend } from './websocket-backend.ts'

export interface WebsocketRuntime {
  readonly store: ConnectionStore
  readonly poster: ConnectionPoster
  readonly backend: ReturnType<typeof createWebsocketBackend>
}

/** The AWS side of websocket channels; its module is the only one that loads the AWS SDK. */
export function createWebsocketRuntime(options: {
  readonly registry: Registry
  readonly table: string
  readonly dynamoEndpoint?: string | undefined
  readonly log: Logger
}): WebsocketRuntime {
  const store = createDynamoConnectionStore({
    table: options.table,
    endpoint: options.dynamoEndpoint,
  })
  const poster = createConnectionPoster()
  const backend = createWebsocketBackend({
    registry: options.registry,
    store,
    poster,
    log: options.log,
  })
  return { store, poster, backend }
}
