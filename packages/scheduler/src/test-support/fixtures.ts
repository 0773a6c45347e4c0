import { createInvoker, createRegistry, type Invoker, type Logger } from '@servey/core'

export interface LogLine {
  readonly level: string
  readonly obj: unknown
  readonly msg: string | undefined
}

/** A logger that keeps what it is told, for tests that check a failure was logged. */
export function recordingLogger(lines: LogLine[] = []): Logger & { lines: LogLine[] } {
  const at =
    (level: string) =>
    (obj: unknown, msg?: string): void => {
      lines.push({ level, obj, msg })
    }
  const logger = {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  }
  return logger
}

export function invokerFor(actions: Record<string, unknown>): Invoker {
  return createInvoker(createRegistry(actions), { validateResult: true })
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await sleep(20)
  }
}

/** What a client does with a 503: asks again until it gets another answer (or `timeoutMs`). */
export function retryWhileUnavailable<T>(ask: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  return eventually(async () => {
    try {
      return await ask()
    } catch (error) {
      if ((error as { code?: string }).code === 'UNAVAILABLE') return undefined
      throw error
    }
  }, timeoutMs)
}
