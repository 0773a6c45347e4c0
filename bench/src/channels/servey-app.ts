// The app `servey start` serves in `pnpm bench channels`: one channel and the action that
// publishes to it, as a user would write them.
import { action, channel, Type, WEB_POST } from '@servey/core'

export const feed = channel('feed', {
  payload: Type.Object({ seq: Type.Integer(), text: Type.String() }),
  description: 'Benchmark events',
})

export const publish_event = action(
  {
    triggers: [WEB_POST],
    params: Type.Object({ seq: Type.Integer(), text: Type.String() }),
    result: Type.String(),
  },
  async (event, context) => (await context.publish(feed, event)).id,
)
