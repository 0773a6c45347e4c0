import { action, channel, Type, WEB_POST } from '@servey/core'

export const messenger = channel('messenger', { payload: Type.String() })

export const broadcast_message = action(
  {
    triggers: [WEB_POST],
    params: Type.Object({ message: Type.String() }),
    result: Type.String(),
  },
  async ({ message }, context) => (await context.publish(messenger, message)).id,
)
