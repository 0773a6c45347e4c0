import type { Authorization, ChannelBackend, ChannelHub, Logger, Registry } from '@servey/core'
import {
  CONNECTIONS_TABLE_ENV,
  DYNAMODB_ENDPOINT_ENV,
  WEBSOCKET_ENDPOINT_ENV,
} from './websocket/connections-table.ts'
import type { WebsocketResult } from './websocket/websocket-handler.ts'
import type { WebsocketRuntime } from './websocket/websocket-runtime.ts'

export interface LambdaWebsocket {
  /** The hub's backend: a publish posts to the websocket subscribers in the table. */
  readonly backend: ChannelBackend
  /** API Gateway's websocket routes. */
  answer(
    event: Record<string, unknown>,
    hub: ChannelHub,
    authenticate: (header: string | undefined) => Promise<Authorization | null>,
    requestId: string | undefined,
  ): Promise<WebsocketResult>
}

/**
 * Websocket channels of one Lambda function, when the stack has a connections table
 * (SERVEY_CONNECTIONS_TABLE, set by `servey sls` when the app has channels); undefined
 * otherwise, and a publish then reaches no websocket client, as on a server with none
 * connected. The AWS SDK is loaded on the first publish or websocket event, never at init.
 */
export function createLambdaWebsocket(
  registry: Registry,
  env: NodeJS.ProcessEnv,
  log: Logger,
): LambdaWebsocket | undefined {
  const table = env[CONNECTIONS_TABLE_ENV]
  if (registry.channels.length === 0 || table === undefined || table === '') return undefined
  let loading: Promise<WebsocketRuntime> | undefined
  const runtime = (): Promise<WebsocketRuntime> => {
    loading ??= import('./websocket/websocket-runtime.ts').then(({ createWebsocketRuntime }) =>
      createWebsocketRuntime({ registry, table, dynamoEndpoint: env[DYNAMODB_ENDPOINT_ENV], log }),
    )
    // A failed load (it should not: the SDK is part of Lambda's runtime) is tried again.
    loading.catch(() => (loading = undefined))
    return loading
  }
  return {
    backend: {
      kind: 'lambda-websocket',
      append: async (channel, event, to) => (await runtime()).backend.append(channel, event, to),
      readSince: async (channel, since) => (await runtime()).backend.readSince(channel, since),
      listen: () => () => {},
      close: async () => {},
    },
    async answer(event, hub, authenticate, requestId) {
      const [{ answerWebsocket }, { store, poster }] = await Promise.all([
        import('./websocket/websocket-handler.ts'),
        runtime(),
      ])
      return answerWebsocket(
        event,
        { hub, authenticate, store, poster, log, endpoint: env[WEBSOCKET_ENDPOINT_ENV] },
        requestId,
      )
    },
  }
}
