import {
  CONNECTIONS_TABLE,
  CONNECTIONS_TABLE_ENV,
  connectionsTableDefinition,
} from '../runtime/websocket/connections-table.ts'
import type { StackResources } from './stack-resources.ts'

export const CONNECTIONS_TABLE_RESOURCE = 'ServeyConnectionsTable'
/** Serverless's logical id of the websocket API it creates for `websocket` events. */
export const WEBSOCKET_API = 'WebsocketsApi'
/**
 * The table's name, in the template and in every function's environment from this one string
 * (the original wrote two different names and broke its websocket function).
 */
export const CONNECTIONS_TABLE_NAME = '${self:service}-${sls:stage}-connections'

/**
 * What websocket channels need from the stack: the connections table (on demand, with a TTL on
 * `expires_at`), its name in every function's environment (any function may publish), and the
 * least privilege to use it: the five item actions on the table and its channel index, and
 * `execute-api:ManageConnections` (PostToConnection, DeleteConnection) on this API's stage.
 */
export function websocketResources(): StackResources {
  const table = { 'Fn::GetAtt': [CONNECTIONS_TABLE_RESOURCE, 'Arn'] }
  return {
    resources: {
      [CONNECTIONS_TABLE_RESOURCE]: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          ...structuredClone(connectionsTableDefinition(CONNECTIONS_TABLE_NAME)),
          TimeToLiveSpecification: {
            AttributeName: CONNECTIONS_TABLE.ttlAttribute,
            Enabled: true,
          },
        } as never,
      },
    },
    statements: [
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:DeleteItem',
          'dynamodb:Query',
          'dynamodb:BatchWriteItem',
        ],
        Resource: [
          table,
          {
            'Fn::Join': ['/', [table, 'index', CONNECTIONS_TABLE.channelIndex]],
          },
        ],
      },
      {
        Effect: 'Allow',
        Action: ['execute-api:ManageConnections'],
        Resource: {
          'Fn::Sub': `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${WEBSOCKET_API}}/\${sls:stage}/*/@connections/*`,
        },
      },
    ],
    environment: { [CONNECTIONS_TABLE_ENV]: CONNECTIONS_TABLE_NAME },
  }
}
