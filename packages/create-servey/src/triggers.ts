/** What a new app can start with: each choice adds an example action, and what it needs. */
export const TRIGGERS = {
  web: {
    label: 'REST + GraphQL',
    hint: 'say_hello at GET /actions/say-hello and the query sayHello, with OpenAPI docs',
  },
  schedule: {
    label: 'Schedule',
    hint: 'heartbeat, run every minute by `servey dev` and `servey start`',
  },
  job: {
    label: 'Background job',
    hint: 'sum_numbers: POST it with `Prefer: respond-async` for a job at /jobs/<id>, or a callback',
  },
  page: {
    label: 'HTML page',
    hint: 'hello_page at GET /hello-page, rendered from templates/hello_page.njk',
  },
} as const

export type TriggerChoice = keyof typeof TRIGGERS

export const TRIGGER_CHOICES = Object.keys(TRIGGERS) as TriggerChoice[]

/** What `--yes` (or a run with no terminal) picks. */
export const DEFAULT_TRIGGERS: readonly TriggerChoice[] = ['web', 'schedule', 'job']

export function isTriggerChoice(value: string): value is TriggerChoice {
  return Object.hasOwn(TRIGGERS, value)
}
