import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type * as DocumentSdk from '@aws-sdk/lib-dynamodb'
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb'
import type { ConnectionStore, StoredConnection } from './connection-store.ts'
import { CONNECTIONS_TABLE, CONNECTION_TTL_SECONDS } from './connections-table.ts'
import { loadAuthorization, storeAuthorization } from './stored-authorization.ts'

const { partitionKey, sortKey, channelIndex, ttlAttribute, connectionRow } = CONNECTIONS_TABLE
/** BatchWriteItem takes at most 25 requests. */
const BATCH = 25

export interface DynamoConnectionStoreOptions {
  readonly table: string
  /** A DynamoDB endpoint other than AWS's (dynalite in tests and offline). */
  readonly endpoint?: string | undefined
  /** A ready client (tests); default one from the function's region and role. */
  readonly client?: DynamoDBClient
  readonly now?: () => number
}

type Item = Record<string, unknown>

/** The connection store on DynamoDB through AWS SDK v3's document client. */
export function createDynamoConnectionStore(
  options: DynamoConnectionStoreOptions,
): ConnectionStore {
  const now = options.now ?? Date.now
  // The SDK loads on first use, through dynamic imports: bundled as ESM, a static import of an
  // external package is hoisted to the top of every function's bundle, and loading these two
  // cost each cold start about 60 ms, in functions that never touch a websocket too.
  let loading:
    Promise<{ db: DocumentSdk.DynamoDBDocumentClient; sdk: typeof DocumentSdk }> | undefined
  const connect = async () => {
    const [sdk, base] = await Promise.all([
      import('@aws-sdk/lib-dynamodb'),
      options.client ??
        import('@aws-sdk/client-dynamodb').then(
          ({ DynamoDBClient }) =>
            new DynamoDBClient(
              options.endpoint === undefined ? {} : { endpoint: options.endpoint },
            ),
        ),
    ])
    const db = sdk.DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true },
    })
    return { db, sdk }
  }
  const dynamo = () => (loading ??= connect())
  const TableName = options.table

  const itemOf = (connection: StoredConnection, channel: string): Item => ({
    [partitionKey]: connection.connectionId,
    [sortKey]: channel,
    endpoint: connection.endpoint,
    authorization: storeAuthorization(connection.authorization),
    [ttlAttribute]: Math.floor(now() / 1000) + CONNECTION_TTL_SECONDS,
  })
  const live = (item: Item): boolean => {
    const expires = item[ttlAttribute]
    return typeof expires !== 'number' || expires * 1000 > now()
  }
  const connectionOf = (item: Item): StoredConnection => ({
    connectionId: String(item[partitionKey]),
    endpoint: String(item['endpoint']),
    authorization: loadAuthorization(item['authorization']),
  })

  async function* query(input: Omit<QueryCommandInput, 'TableName'>): AsyncGenerator<Item[]> {
    let start: Record<string, unknown> | undefined
    do {
      const { db, sdk } = await dynamo()
      const page = await db.send(
        new sdk.QueryCommand({
          TableName,
          ...input,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      )
      yield (page.Items ?? []).filter(live)
      start = page.LastEvaluatedKey
    } while (start !== undefined)
  }
  const rowsOf = async (connectionId: string): Promise<Item[]> => {
    const rows: Item[] = []
    for await (const page of query({
      KeyConditionExpression: '#pk = :id',
      ExpressionAttributeNames: { '#pk': partitionKey },
      ExpressionAttributeValues: { ':id': connectionId },
    })) {
      rows.push(...page)
    }
    return rows
  }
  const batchWrite = async (requests: Record<string, unknown>[]): Promise<void> => {
    for (let at = 0; at < requests.length; at += BATCH) {
      let pending: Record<string, unknown>[] | undefined = requests.slice(at, at + BATCH)
      // DynamoDB may leave some requests unprocessed under load: retry those, with a pause.
      for (let attempt = 0; pending !== undefined && pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt))
        if (attempt > 5) throw new Error(`DynamoDB left ${pending.length} writes unprocessed`)
        const { db, sdk } = await dynamo()
        const result = await db.send(
          new sdk.BatchWriteCommand({ RequestItems: { [TableName]: pending as never } }),
        )
        pending = result.UnprocessedItems?.[TableName] as Record<string, unknown>[] | undefined
      }
    }
  }

  return {
    async connect(connection) {
      const { db, sdk } = await dynamo()
      await db.send(new sdk.PutCommand({ TableName, Item: itemOf(connection, connectionRow) }))
    },
    async get(connectionId) {
      const { db, sdk } = await dynamo()
      const { Item } = await db.send(
        new sdk.GetCommand({
          TableName,
          Key: { [partitionKey]: connectionId, [sortKey]: connectionRow },
          ConsistentRead: true,
        }),
      )
      return Item === undefined || !live(Item) ? undefined : connectionOf(Item)
    },
    async channelsOf(connectionId) {
      return (await rowsOf(connectionId))
        .map((item) => String(item[sortKey]))
        .filter((channel) => channel !== connectionRow)
    },
    async subscribe(connection, channel) {
      const { db, sdk } = await dynamo()
      await db.send(new sdk.PutCommand({ TableName, Item: itemOf(connection, channel) }))
    },
    async unsubscribe(connectionId, channel) {
      const { db, sdk } = await dynamo()
      await db.send(
        new sdk.DeleteCommand({
          TableName,
          Key: { [partitionKey]: connectionId, [sortKey]: channel },
        }),
      )
    },
    async reauthorize(connection) {
      const rows = await rowsOf(connection.connectionId)
      const channels = new Set([connectionRow, ...rows.map((item) => String(item[sortKey]))])
      await batchWrite(
        [...channels].map((channel) => ({ PutRequest: { Item: itemOf(connection, channel) } })),
      )
    },
    async remove(connectionId) {
      // Expired rows too: they are this connection's, and nothing else will delete them soon.
      const keys: Item[] = []
      let start: Record<string, unknown> | undefined
      do {
        const { db, sdk } = await dynamo()
        const page = await db.send(
          new sdk.QueryCommand({
            TableName,
            KeyConditionExpression: '#pk = :id',
            ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
            ExpressionAttributeValues: { ':id': connectionId },
            ProjectionExpression: '#pk, #sk',
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        )
        keys.push(...(page.Items ?? []))
        start = page.LastEvaluatedKey
      } while (start !== undefined)
      await batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })))
    },
    async *subscribers(channel) {
      for await (const page of query({
        IndexName: channelIndex,
        KeyConditionExpression: '#sk = :channel',
        ExpressionAttributeNames: { '#sk': sortKey },
        ExpressionAttributeValues: { ':channel': channel },
      })) {
        yield page.map(connectionOf)
      }
    },
  }
}
