import { action, Type, web, WEB_GET, type Trigger } from '@servey/core'

// A schedule as @servey/scheduler's every() and cron() make it: plain data.
const schedule = (fields: Record<string, unknown>): Trigger =>
  ({ kind: 'schedule', params: {}, scopes: ['system'], overlap: 'skip', ...fields }) as Trigger

export const say_hello = action(
  {
    triggers: [WEB_GET],
    params: Type.Object({ name: Type.String() }),
    result: Type.String(),
    description: 'Greet a user!',
  },
  ({ name }) => `Hello ${name}!`,
)

export const get_item = action(
  {
    triggers: [web({ method: 'GET', path: '/items/:id' })],
    params: Type.Object({ id: Type.String() }),
    result: Type.Object({ id: Type.String() }),
    timeout: '40s',
  },
  ({ id }) => ({ id }),
)

export const nightly = action(
  {
    triggers: [schedule({ cron: '0 2 * * 1-5', tz: 'Europe/Paris' }), schedule({ every: 300_000 })],
  },
  () => {},
)

export const in_process_only = action({}, () => 'not on Lambda')

export const pages = [1, 2].map((i) =>
  action({ name: `page_${i}`, triggers: [WEB_GET], result: Type.Integer() }, () => i),
)
