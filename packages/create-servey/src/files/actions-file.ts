import type { TriggerChoice } from '../triggers.ts'

const WEB = `/**
 * GET /actions/say-hello?name=World, the GraphQL query \`sayHello\`, and
 * \`servey run --action=say_hello --event='{"name":"World"}'\`. Its example is a test too.
 */
export const say_hello = action(
  {
    triggers: [WEB_GET],
    params: Type.Object({ name: Type.String({ minLength: 1 }) }),
    result: Type.String(),
    description: 'Greet someone',
    examples: [{ name: 'greet_world', params: { name: 'World' }, result: 'Hello World!' }],
  },
  ({ name }) => \`Hello \${name}!\`,
)
`

const SCHEDULE = `/**
 * Runs every minute in \`servey dev\` and \`servey start\`: in-process, or once per cluster on
 * Redis when REDIS_URL is set. \`servey actions\` lists it with its schedule.
 */
export const heartbeat = action(
  { triggers: [every('1m')], description: 'Log that the app is alive' },
  (_params, { log }) => {
    log.info('heartbeat')
  },
)
`

const JOB = `/**
 * A slow action. Call it with \`Prefer: respond-async\` to get 202 and a job at /jobs/<id>, or with
 * \`Servey-Callback-URL: <url>\` to have the result sent there when it is ready.
 */
export const sum_numbers = action(
  {
    triggers: [WEB_POST],
    params: Type.Object({ numbers: Type.Array(Type.Number(), { minItems: 1 }) }),
    result: Type.Object({ count: Type.Integer(), total: Type.Number() }),
    description: 'Add up numbers (slowly: run it in the background)',
    timeout: '10s',
    examples: [
      { name: 'three_numbers', params: { numbers: [1, 2, 3] }, result: { count: 3, total: 6 } },
    ],
  },
  async ({ numbers }, { signal }) => {
    await sleep(500, undefined, { signal })
    return { count: numbers.length, total: numbers.reduce((sum, value) => sum + value, 0) }
  },
)
`

const PAGE_ACTION = `/** An HTML page at GET /hello-page, rendered from templates/hello_page.njk with its result. */
export const hello_page = action(
  {
    triggers: [PAGE],
    params: Type.Object({ name: Type.String({ default: 'World' }) }),
    result: Type.Object({ name: Type.String(), time: Type.String() }),
    description: 'A greeting, as an HTML page',
  },
  ({ name }) => ({ name, time: new Date().toISOString() }),
)
`

/** src/actions.ts: one example action per chosen trigger, importing only what they use. */
export function actionsFile(triggers: readonly TriggerChoice[]): string {
  const has = (trigger: TriggerChoice): boolean => triggers.includes(trigger)
  const core = ['action', 'Type']
  if (has('web')) core.push('WEB_GET')
  if (has('job')) core.push('WEB_POST')
  if (has('page')) core.push('PAGE')
  core.sort((a, b) => a.localeCompare(b))
  const imports = [
    ...(has('job') ? ["import { setTimeout as sleep } from 'node:timers/promises'"] : []),
    `import { ${core.join(', ')} } from '@servey/core'`,
    ...(has('schedule') ? ["import { every } from '@servey/scheduler'"] : []),
  ]
  const bodies = [
    ...(has('web') ? [WEB] : []),
    ...(has('job') ? [JOB] : []),
    ...(has('page') ? [PAGE_ACTION] : []),
    ...(has('schedule') ? [SCHEDULE] : []),
  ]
  const header = `// The app's actions: the servey CLI serves every action exported from this file. Add one, save,
// and \`servey dev\` serves it at once.
`
  return `${header}${imports.join('\n')}\n\n${bodies.join('\n')}`
}
