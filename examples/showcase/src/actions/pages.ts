import { action, PAGE, Type } from '@servey/core'

/** An HTML page at /current-time-page, rendered from templates/current_time_page.njk. */
export const current_time_page = action(
  {
    triggers: [PAGE],
    result: Type.String(),
    description: 'The current time, as an HTML page',
  },
  () => new Date().toISOString(),
)
