import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import type { PrettyOptions, prettyFactory } from 'pino-pretty'
import { cliErrors } from '../errors.ts'
import { requestSummary } from '../log/format-log-record.ts'
import { logLevelFrom } from '../log/log-level.ts'

export interface ServerLoggerOptions {
  readonly level: string
  readonly file?: string
  readonly stream?: { write(line: string): void }
}

/** Where the server's log lines go when LOG_FILE is not set: the process's stdout. */
export interface LogTerminal {
  write(text: string): unknown
  readonly isTTY?: boolean
}

export type LogFormat = 'pretty' | 'json'
const LOG_FORMATS: readonly LogFormat[] = ['pretty', 'json']

/** LOG_FORMAT, else `fallback`; a typo fails loudly, like LOG_LEVEL. */
export function logFormatFrom(env: NodeJS.ProcessEnv, fallback: LogFormat): LogFormat {
  const value = (env['LOG_FORMAT'] ?? '').trim().toLowerCase()
  if (value === '') return fallback
  if ((LOG_FORMATS as readonly string[]).includes(value)) return value as LogFormat
  throw cliErrors.SERVEY_ERR_CLI_LOG_FORMAT_INVALID(value, LOG_FORMATS.join(', '))
}

type Prettify = (record: unknown) => string

// pino-pretty is CommonJS and only needed for pretty output: loaded on that path alone, so
// `servey start` with JSON logs never pays for it.
function loadPrettyFactory(): (options: PrettyOptions) => Prettify {
  const require = createRequire(import.meta.url)
  return (require('pino-pretty') as { prettyFactory: typeof prettyFactory }).prettyFactory
}

function prettyStream(out: LogTerminal): { write(line: string): void } {
  const prettify = loadPrettyFactory()({
    colorize: out.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    // The request's method, URL, status and time go on the message line instead.
    ignore: 'pid,hostname,req,res,responseTime',
    singleLine: true,
    messageFormat: (log, messageKey) =>
      [log[messageKey], requestSummary(log)]
        .filter((part) => typeof part === 'string' && part !== '')
        .join(' '),
  })
  return {
    write(line: string) {
      try {
        out.write(prettify(line))
      } catch {
        out.write(line)
      }
    },
  }
}

/**
 * Fastify's logger settings from LOG_LEVEL (default info), LOG_FILE (default stdout) and
 * LOG_FORMAT. Pretty lines (pino-pretty) are the default of the dev server on a terminal;
 * `servey start`, pipes and files get JSON lines, which log tools read. LOG_FORMAT=pretty or
 * json overrides the default on stdout; a LOG_FILE always gets JSON.
 */
export function serverLoggerOptions(
  env: NodeJS.ProcessEnv,
  cwd: string,
  out: LogTerminal,
  mode: 'dev' | 'start',
): ServerLoggerOptions {
  const level = logLevelFrom(env)
  const format = logFormatFrom(env, mode === 'dev' && out.isTTY === true ? 'pretty' : 'json')
  const file = env['LOG_FILE']
  if (file !== undefined && file !== '') return { level, file: resolve(cwd, file) }
  if (format === 'json') return { level }
  return { level, stream: prettyStream(out) }
}
