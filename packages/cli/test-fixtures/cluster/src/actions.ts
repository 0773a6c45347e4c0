import { action, Type, WEB_GET } from '@servey/core'

/** The process that answered, so a test can tell the workers apart. */
export const whoami = action(
  {
    triggers: [WEB_GET],
    params: Type.Object({ delay: Type.Optional(Type.Integer({ minimum: 0, maximum: 2000 })) }),
    result: Type.Object({ pid: Type.Integer() }),
  },
  async ({ delay }) => {
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay))
    return { pid: process.pid }
  },
)
