import type * as SqsSdk from '@aws-sdk/client-sqs'

type Sdk = typeof SqsSdk

let shared: Promise<Sdk> | undefined
let client: SqsSdk.SQSClient | undefined

/**
 * The SDK module and one SQSClient per container, loaded on first use: every Node.js Lambda
 * runtime ships the SDK (so bundles leave it out), and a function that never sends or
 * changes a message must not pay for loading it.
 */
export async function sqsSdk(): Promise<{ readonly sdk: Sdk; readonly client: SqsSdk.SQSClient }> {
  const sdk = await (shared ??= import('@aws-sdk/client-sqs'))
  client ??= new sdk.SQSClient({})
  return { sdk, client }
}
