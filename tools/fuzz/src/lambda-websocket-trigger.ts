import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createLambdaHandler, type LambdaHandler } from '@servey/aws'
import { connectionsTableDefinition } from '@servey/aws/sls'
import type { Logger } from '@servey/core'
import dynalite from 'dynalite'
import { FUZZ_JWT_SECRET } from './websocket-trigger.ts'

const TABLE = 'servey-fuzz-connections'
/** The management API's stage path, as in `https://<api>.execute-api.<region>.amazonaws.com/<stage>`. */
const STAGE = '/fuzz'

/** What the function sent to one connection through the management API. */
export interface ManagementCall {
  readonly method: 'POST' | 'DELETE'
  readonly connectionId: string
  readonly data: string
}

/**
 * The websocket function of the showcase's stack (`servey_websocket`: every action and
 * channel), built in this process with its connections table in dynalite, a DynamoDB emulator,
 * and PostToConnection and DeleteConnection answered by a local stand-in for API Gateway's
 * management API that records every call. Nothing reaches AWS: the SDK's credentials are fake
 * and both endpoints are on 127.0.0.1.
 */
export interface LambdaWebsocketFunction {
  readonly handler: LambdaHandler
  /** Every management call, in order of arrival. */
  readonly calls: ManagementCall[]
  /** Error records the function logged. */
  readonly errors: string[]
  stop(): Promise<void>
}

const AWS_ENV = ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']

function listen(server: Server | ReturnType<typeof dynalite>): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  )
}

export async function startLambdaWebsocket(
  app: Record<string, unknown>,
): Promise<LambdaWebsocketFunction> {
  // The SDK's default provider chain reads these when the function makes its clients: fake
  // ones, so that no credential of the person running the harness is ever used. Put back at stop.
  const saved = Object.fromEntries(AWS_ENV.map((name) => [name, process.env[name]]))
  process.env['AWS_REGION'] = 'eu-west-1'
  process.env['AWS_ACCESS_KEY_ID'] = 'fuzz'
  process.env['AWS_SECRET_ACCESS_KEY'] = 'fuzz'
  delete process.env['AWS_SESSION_TOKEN']

  const database = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
  const dynamoEndpoint = await listen(database)
  const dynamo = new DynamoDBClient({
    endpoint: dynamoEndpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'fuzz', secretAccessKey: 'fuzz' },
  })
  const { BillingMode, ...table } = connectionsTableDefinition(TABLE)
  await dynamo.send(
    new CreateTableCommand({
      ...table,
      BillingMode,
      AttributeDefinitions: [...table.AttributeDefinitions],
      KeySchema: [...table.KeySchema],
      GlobalSecondaryIndexes: table.GlobalSecondaryIndexes.map((index) => ({
        ...index,
        KeySchema: [...index.KeySchema],
      })),
    }),
  )
  dynamo.destroy()

  const calls: ManagementCall[] = []
  const gone = new Set<string>()
  const management = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://x').pathname
      const prefix = `${STAGE}/@connections/`
      if (!path.startsWith(prefix) || (request.method !== 'POST' && request.method !== 'DELETE')) {
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"message":"Not Found"}')
        return
      }
      const connectionId = decodeURIComponent(path.slice(prefix.length))
      calls.push({
        method: request.method,
        connectionId,
        data: Buffer.concat(chunks).toString('utf8'),
      })
      // A connection the function closed is gone, as API Gateway answers for it afterwards.
      if (gone.has(connectionId)) {
        response
          .writeHead(410, {
            'content-type': 'application/json',
            'x-amzn-errortype': 'GoneException',
          })
          .end('{"message":"Gone"}')
        return
      }
      if (request.method === 'DELETE') gone.add(connectionId)
      response.writeHead(request.method === 'DELETE' ? 204 : 200).end()
    })
  })
  const managementEndpoint = await listen(management)

  const errors: string[] = []
  const log: Logger = {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: (obj: unknown, msg?: string) => {
      if (errors.length < 200)
        errors.push(
          `${msg ?? ''} ${JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? `${v.name}: ${v.message}` : v))?.slice(0, 300)}`,
        )
    },
    child: () => log,
  }
  const handler = createLambdaHandler({
    actions: app,
    log,
    env: {
      JWT_SECRET_KEY: FUZZ_JWT_SECRET,
      LOG_LEVEL: 'error',
      SERVEY_CONNECTIONS_TABLE: TABLE,
      SERVEY_DYNAMODB_ENDPOINT: dynamoEndpoint,
      // Set, so that the management endpoint never comes from an event's `domainName`: a
      // hostile one would send the function's posts to a host off this machine.
      SERVEY_WEBSOCKET_ENDPOINT: `${managementEndpoint}${STAGE}`,
    },
  })
  return {
    handler,
    calls,
    errors,
    async stop() {
      const closed = new Promise((resolve) => management.close(resolve))
      management.closeAllConnections()
      await closed
      await new Promise((resolve) => database.close(resolve))
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    },
  }
}
