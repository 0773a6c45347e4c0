import type { Logger } from '@servey/core'
import { formatLogRecord } from './format-log-record.ts'
import { LOG_LEVELS, type LogLevel } from './log-level.ts'

export interface LineSink {
  write(text: string): unknown
}

/**
 * core's Logger writing human lines to a stream. `servey run` uses it on stderr: stdout carries
 * only the result, and loading pino would cost a one-shot command more than it logs.
 */
export function createStreamLogger(
  sink: LineSink,
  level: LogLevel,
  bindings: Record<string, unknown> = {},
): Logger {
  const threshold = LOG_LEVELS[level]
  const at =
    (value: number) =>
    (obj: unknown, msg?: string): void => {
      if (value < threshold) return
      const fields =
        obj instanceof Error
          ? { err: obj }
          : typeof obj === 'object' && obj !== null
            ? (obj as Record<string, unknown>)
            : {}
      const text = typeof obj === 'string' && msg === undefined ? obj : msg
      sink.write(
        formatLogRecord({ ...bindings, ...fields, level: value, time: Date.now(), msg: text }),
      )
    }
  return {
    debug: at(LOG_LEVELS.debug),
    info: at(LOG_LEVELS.info),
    warn: at(LOG_LEVELS.warn),
    error: at(LOG_LEVELS.error),
    child: (more) => createStreamLogger(sink, level, { ...bindings, ...more }),
  }
}
