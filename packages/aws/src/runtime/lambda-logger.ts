import type { Logger } from '@servey/core'

// pino's levels and numbers, so LOG_LEVEL means the same on Lambda as in `servey start`.
const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity }

function serializable(value: unknown): unknown {
  if (!(value instanceof Error)) return value
  const code = (value as { code?: unknown }).code
  return {
    type: value.name,
    message: value.message,
    ...(code === undefined ? {} : { code }),
    stack: value.stack,
  }
}

/**
 * core's Logger as one JSON line per record on stdout, which Lambda sends to CloudWatch Logs
 * (where the fields can be queried). pino would do the same at several times the init cost.
 * An unknown LOG_LEVEL falls back to `info`: a Lambda function has nowhere to fail loudly at.
 */
export function createLambdaLogger(
  env: NodeJS.ProcessEnv = process.env,
  write: (line: string) => void = (line) => process.stdout.write(line),
  bindings: Record<string, unknown> = {},
): Logger {
  const name = (env['LOG_LEVEL'] ?? '').trim().toLowerCase()
  const threshold = Object.hasOwn(LEVELS, name) ? LEVELS[name as keyof typeof LEVELS] : 30
  const at =
    (level: number) =>
    (obj: unknown, msg?: string): void => {
      if (level < threshold) return
      const fields: Record<string, unknown> =
        obj instanceof Error
          ? { err: serializable(obj) }
          : typeof obj === 'object' && obj !== null
            ? Object.fromEntries(
                Object.entries(obj).map(([key, value]) => [key, serializable(value)]),
              )
            : {}
      const text = typeof obj === 'string' && msg === undefined ? obj : msg
      write(`${JSON.stringify({ level, time: Date.now(), ...bindings, ...fields, msg: text })}\n`)
    }
  return {
    debug: at(LEVELS.debug),
    info: at(LEVELS.info),
    warn: at(LEVELS.warn),
    error: at(LEVELS.error),
    child: (more) => createLambdaLogger(env, write, { ...bindings, ...more }),
  }
}
