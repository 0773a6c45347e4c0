import { cliErrors } from '../errors.ts'

/** pino's levels, so LOG_LEVEL means the same for the CLI and for Fastify's logger. */
export const LOG_LEVELS = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
} as const

export type LogLevel = keyof typeof LOG_LEVELS

/** LOG_LEVEL, default `info`; a typo fails loudly rather than silently changing what is logged. */
export function logLevelFrom(env: NodeJS.ProcessEnv): LogLevel {
  const value = (env['LOG_LEVEL'] ?? '').trim().toLowerCase()
  if (value === '') return 'info'
  if (Object.hasOwn(LOG_LEVELS, value)) return value as LogLevel
  throw cliErrors.SERVEY_ERR_CLI_LOG_LEVEL_INVALID(value, Object.keys(LOG_LEVELS).join(', '))
}
