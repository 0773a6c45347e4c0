import type { JobRunner } from '../jobs/job-runner.ts'
import type { ChannelEnvelope } from './channel.ts'

/** One webhook call to make: the event as JSON, POSTed to `url`. */
export interface WebhookDelivery {
  readonly url: string
  /** The handler's own headers; the sender adds content type, signature and event headers. */
  readonly headers: Readonly<Record<string, string>>
  readonly envelope: ChannelEnvelope
  readonly timeoutMs?: number
  readonly attempts?: number
  readonly backoffMs?: number
}

/**
 * The port through which the hub calls webhooks. HTTP is a transport, so core only describes
 * the call; `@servey/webhooks` makes it (signing, SSRF rules, timeout, retries), in a process
 * through `@servey/scheduler`, and the CLI composes the two. `send` resolves once the delivery
 * is taken, not once it is done.
 */
export interface WebhookSender {
  send(delivery: WebhookDelivery): Promise<void>
}

/** What a hub needs to run a channel's handlers; a kind of handler without its port fails. */
export interface ChannelHandlerRuntime {
  /** Background actions are enqueued here (in-process, or BullMQ on Redis). */
  readonly jobs?: JobRunner
  readonly webhooks?: WebhookSender
}
