import { action, channel, Type, WEB_POST } from '@servey/core'

/** The chat channel: `WS /channels/messenger`, or SSE on `GET /channels/messenger`. */
export const messenger = channel('messenger', {
  payload: Type.String({ maxLength: 10_000 }),
  description: 'Chat messages, to every subscriber (or to one connection)',
  examples: [{ name: 'greeting', event: 'hi' }],
})

/**
 * Publish a message on `messenger`: to every subscriber, or, with `connection_id` (the id in
 * a `subscribed` frame), to that one connection. Returns the event's id, which a subscriber
 * that reconnects passes as `since` to miss nothing.
 */
export const broadcast_message = action(
  {
    triggers: [WEB_POST],
    publishes: [messenger],
    params: Type.Object({
      message: Type.String({ maxLength: 10_000 }),
      connection_id: Type.Optional(
        Type.String({ description: 'Deliver to this connection only', maxLength: 100 }),
      ),
    }),
    result: Type.String({ description: 'The id of the published event' }),
    description: 'Send a message to the messenger channel; returns the event id',
    examples: [
      { name: 'to_everyone', params: { message: 'hi' } },
      {
        name: 'to_one_connection',
        params: { message: 'just for you', connection_id: '0b0b4a8e-0000-4000-8000-000000000000' },
      },
    ],
  },
  async ({ message, connection_id }, context) => {
    const envelope = await context.publish(messenger, message, { to: connection_id })
    return envelope.id
  },
)
