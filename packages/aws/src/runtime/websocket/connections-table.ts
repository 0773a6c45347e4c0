/**
 * The connections table, as `servey sls` creates it and the runtime reads it: one row per
 * connection (sort key `#connection`) and one per subscription (sort key the channel name),
 * found by channel through the `by_channel` index. Both sides take these names from here.
 */
export const CONNECTIONS_TABLE = Object.freeze({
  partitionKey: 'connection_id',
  sortKey: 'channel',
  channelIndex: 'by_channel',
  ttlAttribute: 'expires_at',
  /** Sorts before every channel name, which are snake_case identifiers. */
  connectionRow: '#connection',
})

/**
 * API Gateway closes a websocket after 2 hours at most; a row lives a little longer so a late
 * `$disconnect` still finds it. DynamoDB deletes expired rows lazily (within days): reads skip
 * them by their `expires_at`, the TTL only keeps the table small.
 */
export const CONNECTION_TTL_SECONDS = 2 * 3600 + 600

/** The function environment that names the table (`servey sls` sets it on every function). */
export const CONNECTIONS_TABLE_ENV = 'SERVEY_CONNECTIONS_TABLE'
/** Optional: a DynamoDB endpoint other than AWS's (dynalite or DynamoDB Local, offline). */
export const DYNAMODB_ENDPOINT_ENV = 'SERVEY_DYNAMODB_ENDPOINT'
/**
 * Optional: the management endpoint PostToConnection uses, instead of the one derived from the
 * `$connect` event (`https://<domainName>/<stage>`): a custom domain with a base path mapping,
 * or serverless-offline's websocket port.
 */
export const WEBSOCKET_ENDPOINT_ENV = 'SERVEY_WEBSOCKET_ENDPOINT'

/**
 * The table's keys and index, in the shape both CloudFormation's `AWS::DynamoDB::Table`
 * properties and the SDK's CreateTable take: `servey sls` writes it into the stack, tests create
 * the same table in dynalite from it. On-demand billing: idle websockets cost nothing.
 */
export function connectionsTableDefinition(tableName: string) {
  const { partitionKey, sortKey, channelIndex } = CONNECTIONS_TABLE
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: partitionKey, AttributeType: 'S' },
      { AttributeName: sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: channelIndex,
        KeySchema: [
          { AttributeName: sortKey, KeyType: 'HASH' },
          { AttributeName: partitionKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  } as const
}
