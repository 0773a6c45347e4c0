import { action, channel, Type, WEB_GET, WEB_POST } from '@servey/core'

const Signup = Type.Object({ email: Type.String({ format: 'email' }), name: Type.String() })

// The showcase keeps what its handlers did in memory, so a client can watch them work. A real
// app would write to its database (and, with REDIS_URL, handlers may run in a `servey worker`).
// The last 1,000 only, so a long-running server does not grow without bound.
const welcomes: Array<{ email: string; text: string; event: string }> = []
const WELCOMES_LIMIT = 1_000

/** The background action: runs as a job for every signup, after a short delay, retried. */
export const send_welcome = action(
  {
    params: Type.Object({ email: Type.String(), name: Type.String(), event: Type.String() }),
    result: Type.Null(),
    description: 'Send the welcome mail of a new user (a background-action handler of signups)',
  },
  ({ email, name, event }, { log }) => {
    // The event id is the same on every retry: a real mailer would send once per id.
    if (welcomes.some((welcome) => welcome.event === event)) return null
    welcomes.push({ email, text: `Welcome, ${name}!`, event })
    if (welcomes.length > WELCOMES_LIMIT) welcomes.splice(0, welcomes.length - WELCOMES_LIMIT)
    log.info({ email, event }, 'welcome sent')
    return null
  },
)

/** A background-action channel: each signup becomes a `send_welcome` job. */
export const signups = channel('signups', {
  payload: Signup,
  description: 'New users; each one is welcomed by a background job',
  examples: [{ name: 'ada', event: { email: 'ada@example.com', name: 'Ada' } }],
  handlers: [
    {
      action: send_welcome,
      params: (signup, { id }) => ({ ...signup, event: id }),
      delay: '200ms',
      attempts: 3,
      backoff: '1s',
    },
  ],
})

export const sign_up = action(
  {
    triggers: [WEB_POST],
    publishes: [signups],
    params: Signup,
    result: Type.Object({ event: Type.String() }),
    description: 'Register a user: publishes to signups, which enqueues the welcome mail',
  },
  async (signup, context) => ({ event: (await context.publish(signups, signup)).id }),
)

export const welcomes_sent = action(
  {
    triggers: [WEB_GET],
    result: Type.Array(Type.Object({ email: Type.String(), text: Type.String() })),
    description: 'The welcome mails sent so far by the signups handler',
  },
  () => welcomes.map(({ email, text }) => ({ email, text })),
)
