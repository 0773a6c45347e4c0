/**
 * @module @servey/webhooks: Servey's outbound HTTP. Signed JSON requests (`Servey-Signature`,
 * HMAC-SHA256 over the timestamp and the body), sent only to addresses the SSRF rules allow,
 * with retries and exponential backoff; the webhook channels' sender; and the verifier for
 * receivers. Transport-neutral: `@servey/scheduler` delivers job callbacks and webhooks with it
 * in a process; `attemptDelivery` serves hosts whose queue does the retrying.
 */
export {
  SIGNATURE_HEADER,
  signCallback,
  verifyCallbackSignature,
  callbackSecretFromEnv,
  type VerifyOptions,
} from './signature.ts'
export {
  attemptDelivery,
  deliverWithRetries,
  retryDelayMs,
  DELIVERY_DEFAULTS,
  type AttemptOutcome,
  type DeliveryExtras,
  type DeliverySettings,
  type DeliveryTarget,
} from './deliver.ts'
export {
  channelWebhook,
  CHANNEL_HEADER,
  EVENT_ID_HEADER,
  type ChannelWebhook,
} from './channel-webhook.ts'
export {
  createWebhookSender,
  type WebhookSenderOptions,
  type ClosableWebhookSender,
} from './webhook-sender.ts'
