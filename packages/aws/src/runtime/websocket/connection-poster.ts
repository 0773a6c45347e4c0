import type * as ApiSdk from '@aws-sdk/client-apigatewaymanagementapi'
import type { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi'

/** `gone`: API Gateway answered 410, the client is no longer connected. */
export type PostOutcome = 'sent' | 'gone'

/** Sends frames to websocket clients through API Gateway's management API. */
export interface ConnectionPoster {
  post(endpoint: string, connectionId: string, data: string): Promise<PostOutcome>
  /** Close the client's connection (API Gateway sends no close code of ours). */
  close(endpoint: string, connectionId: string): Promise<void>
}

// By name and status, not `instanceof`: the SDK's classes load only once a frame is posted.
const isGone = (error: unknown): boolean =>
  (error as { name?: unknown }).name === 'GoneException' ||
  (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode === 410

/** One management client per endpoint (a stack has one), kept for the container's life. */
export function createConnectionPoster(
  clientFor?: (endpoint: string) => ApiGatewayManagementApiClient,
): ConnectionPoster {
  const clients = new Map<string, ApiGatewayManagementApiClient>()
  // Loaded on the first post, not at cold start (see dynamo-connection-store.ts).
  let loading: Promise<typeof ApiSdk> | undefined
  const sdk = () => (loading ??= import('@aws-sdk/client-apigatewaymanagementapi'))
  const client = async (endpoint: string): Promise<ApiGatewayManagementApiClient> => {
    let found = clients.get(endpoint)
    if (found === undefined) {
      found = clientFor?.(endpoint) ?? new (await sdk()).ApiGatewayManagementApiClient({ endpoint })
      clients.set(endpoint, found)
    }
    return found
  }
  const encoder = new TextEncoder()
  return {
    async post(endpoint, connectionId, data) {
      try {
        const { PostToConnectionCommand } = await sdk()
        await (
          await client(endpoint)
        ).send(
          new PostToConnectionCommand({ ConnectionId: connectionId, Data: encoder.encode(data) }),
        )
        return 'sent'
      } catch (error) {
        if (isGone(error)) return 'gone'
        throw error
      }
    },
    async close(endpoint, connectionId) {
      try {
        const { DeleteConnectionCommand } = await sdk()
        await (
          await client(endpoint)
        ).send(new DeleteConnectionCommand({ ConnectionId: connectionId }))
      } catch (error) {
        if (!isGone(error)) throw error
      }
    },
  }
}
