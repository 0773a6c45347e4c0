import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'

/** `gone`: API Gateway answered 410, the client is no longer connected. */
export type PostOutcome = 'sent' | 'gone'

/** Sends frames to websocket clients through API Gateway's management API. */
export interface ConnectionPoster {
  post(endpoint: string, connectionId: string, data: string): Promise<PostOutcome>
  /** Close the client's connection (API Gateway sends no close code of ours). */
  close(endpoint: string, connectionId: string): Promise<void>
}

const isGone = (error: unknown): boolean =>
  error instanceof GoneException ||
  (error as { name?: unknown }).name === 'GoneException' ||
  (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode === 410

/** One management client per endpoint (a stack has one), kept for the container's life. */
export function createConnectionPoster(
  clientFor: (endpoint: string) => ApiGatewayManagementApiClient = (endpoint) =>
    new ApiGatewayManagementApiClient({ endpoint }),
): ConnectionPoster {
  const clients = new Map<string, ApiGatewayManagementApiClient>()
  const client = (endpoint: string): ApiGatewayManagementApiClient => {
    let found = clients.get(endpoint)
    if (found === undefined) clients.set(endpoint, (found = clientFor(endpoint)))
    return found
  }
  const encoder = new TextEncoder()
  return {
    async post(endpoint, connectionId, data) {
      try {
        await client(endpoint).send(
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
        await client(endpoint).send(new DeleteConnectionCommand({ ConnectionId: connectionId }))
      } catch (error) {
        if (!isGone(error)) throw error
      }
    },
  }
}
