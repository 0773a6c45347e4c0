import type { Logger } from '../log/logger.ts'

export interface LogEntry {
  readonly level: string
  readonly obj: unknown
  readonly msg: string | undefined
}

/** A logger that keeps every line, for tests that check what the pipeline logs. */
export function recordingLogger(entries: LogEntry[] = []): Logger & { entries: LogEntry[] } {
  const at =
    (level: string) =>
    (obj: unknown, msg?: string): void => {
      entries.push({ level, obj, msg })
    }
  const logger: Logger & { entries: LogEntry[] } = {
    entries,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  }
  return logger
}
