import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify'

type ChildLoggerFactory = NonNullable<FastifyServerOptions['childLoggerFactory']>

/** pino's level values: a method writes when its value is at least the logger's `levelVal`. */
const LEVEL_VALUES = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const
type LevelName = keyof typeof LEVEL_VALUES

/** A pino logger: its `levelVal` tells whether a line would be written without writing it. */
type PinoLike = FastifyBaseLogger & { readonly levelVal: number }

function isPinoLike(logger: FastifyBaseLogger): logger is PinoLike {
  return typeof (logger as Partial<PinoLike>).levelVal === 'number'
}

/**
 * The request's logger, made only when the request writes a line. Fastify makes a pino child
 * per request (its bindings serialized, its level methods set up: about half a microsecond,
 * the largest single cost of a request that `pnpm bench peers` found beside raw Fastify's),
 * and with request logs off (a level above info) most requests never write to it. A line at an
 * enabled level makes the real child, once, and every call after goes to it, so what is
 * written is exactly what the child would have written.
 */
class LazyChildLogger {
  readonly #parent: PinoLike
  readonly #bindings: Record<string, unknown>
  readonly #options: Record<string, unknown>
  #child: FastifyBaseLogger | undefined

  constructor(parent: PinoLike, bindings: Record<string, unknown>, options: object) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options as Record<string, unknown>
  }

  /** The real child, made on first need. */
  real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options)
    return this.#child
  }

  /** Whether a line at `value` would be written: the parent's level until the child exists. */
  writes(value: number): boolean {
    const child = this.#child
    return child === undefined
      ? value >= this.#parent.levelVal
      : value >= (child as PinoLike).levelVal
  }

  get level(): string {
    return (this.#child ?? this.#parent).level
  }

  set level(level: string) {
    this.real().level = level
  }

  child(...args: Parameters<FastifyBaseLogger['child']>): FastifyBaseLogger {
    return this.real().child(...args)
  }

  silent(): void {}
}

// The level methods, one per level, on the prototype: a request's logger then holds 4 fields.
const methods = LazyChildLogger.prototype as unknown as Record<
  LevelName,
  (this: LazyChildLogger) => void
>
for (const [name, value] of Object.entries(LEVEL_VALUES) as Array<[LevelName, number]>) {
  // `arguments` is handed on as it came: pino reads how many arguments a call has, and a
  // rest parameter would allocate an array even for a line that is not written.
  methods[name] = function (this: LazyChildLogger): void {
    if (!this.writes(value)) return
    const child = this.real()
    // eslint-disable-next-line prefer-rest-params
    ;(child[name] as (...args: unknown[]) => void).apply(child, arguments as unknown as unknown[])
  }
}

/**
 * Fastify's `childLoggerFactory` for a server whose request logs are off: each request's
 * logger is a `LazyChildLogger`. A route with its own level or serializers, or a logger that
 * is not pino, gets its child at once, as Fastify's default does.
 */
export const lazyChildLoggerFactory: ChildLoggerFactory = function (logger, bindings, options) {
  const own = options as { level?: unknown; serializers?: unknown }
  if (!isPinoLike(logger) || own.level !== undefined || own.serializers !== undefined) {
    return logger.child(bindings, options)
  }
  return new LazyChildLogger(logger, bindings, options) as unknown as FastifyBaseLogger
}

/** Whether a pino level writes Fastify's request lines (`incoming request`, at info). */
export function logsRequests(level: string): boolean {
  const value = (LEVEL_VALUES as Record<string, number | undefined>)[level]
  return value !== undefined && value <= LEVEL_VALUES.info
}
