import type { KMSClient } from '@aws-sdk/client-kms'

let shared: KMSClient | undefined

/**
 * One KMSClient per container, made on first use. The SDK is imported dynamically: every
 * Node.js Lambda runtime ships it (so bundles leave it out), and a function that never touches
 * KMS must not pay for loading it.
 */
export async function kmsClient(): Promise<KMSClient> {
  if (shared !== undefined) return shared
  const { KMSClient } = await import('@aws-sdk/client-kms')
  shared = new KMSClient({})
  return shared
}
