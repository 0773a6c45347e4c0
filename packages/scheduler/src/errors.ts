import { createDefinitionError } from '@servey/core/adapter'

/** Developer mistakes the scheduler finds at definition or start-up; see docs/reference/errors.md. */
export const schedulerDefinitionErrors = {
  SERVEY_ERR_SCHED_CRON_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_SCHED_CRON_INVALID',
    'Invalid cron expression %s: %s',
  ),
  SERVEY_ERR_SCHED_INTERVAL_INVALID: createDefinitionError<[string]>(
    'SERVEY_ERR_SCHED_INTERVAL_INVALID',
    'Invalid schedule interval %s: give a positive duration such as 500, "30s" or "5m"',
  ),
  SERVEY_ERR_SCHED_TIMEZONE_INVALID: createDefinitionError<[string]>(
    'SERVEY_ERR_SCHED_TIMEZONE_INVALID',
    'Unknown time zone %s: give an IANA name such as "Europe/Paris" or "UTC"',
  ),
  SERVEY_ERR_SCHED_OPTION_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_SCHED_OPTION_INVALID',
    'Invalid schedule option %s: %s',
  ),
} as const
