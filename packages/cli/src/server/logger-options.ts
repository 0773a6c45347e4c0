import { resolve } from 'node:path'
import { logLevelFrom } from '../log/log-level.ts'
import { formatLogRecord } from '../log/format-log-record.ts'

export interface ServerLoggerOptions {
  readonly level: string
  readonly file?: string
  readonly stream?: { write(line: string): void }
}

/**
 * Fastify's logger settings from LOG_LEVEL (default info) and LOG_FILE (default stdout). With
 * `pretty` (the dev server on a terminal) each JSON line is rewritten as one human line; files
 * and pipes keep JSON, which log tools read.
 */
export function serverLoggerOptions(
  env: NodeJS.ProcessEnv,
  cwd: string,
  pretty?: { readonly write: (text: string) => unknown },
): ServerLoggerOptions {
  const level = logLevelFrom(env)
  const file = env['LOG_FILE']
  if (file !== undefined && file !== '') return { level, file: resolve(cwd, file) }
  if (pretty === undefined) return { level }
  return {
    level,
    stream: {
      write(line: string) {
        try {
          pretty.write(formatLogRecord(JSON.parse(line) as Record<string, unknown>))
        } catch {
          pretty.write(line)
        }
      },
    },
  }
}
