import type { SQSClient } from '@aws-sdk/client-sqs'

let shared: Promise<typeof import('@aws-sdk/client-sqs')> | undefined
let client: SQSClient | undefined

/**
 * The SDK module and one SQSClient per container, loaded on first use: every Node.js Lambda
 * runtime ships the SDK (so bundles leave it out), and a function that never sends or
 * changes a message must not pay for loading it.
 */
export async function sqsSdk(): Promise<{
  readonly sdk: typeof import('@aws-sdk/client-sqs')
  readonly client: SQSClient
}> {
  const sdk = await (shared ??= import('@aws-sdk/client-sqs'))
  client ??= new sdk.SQSClient({})
  return { sdk, client }
}
