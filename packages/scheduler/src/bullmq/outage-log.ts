import type { Logger } from '@servey/core'

const CONNECTION_CODES =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE)$/

function isConnectionError(error: Error): boolean {
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && CONNECTION_CODES.test(code)) return true
  return /Connection is closed|Stream isn't writeable/.test(error.message)
}

interface Watched {
  on(event: 'error', listener: (error: Error) => void): unknown
}

/**
 * One log line when Redis goes away and one when it is back, for all the scheduler's
 * connections together. ioredis retries every couple of seconds and each client reports each
 * failed retry; without a listener ioredis prints them all and an EventEmitter's 'error'
 * throws.
 */
export interface OutageLog {
  watch(target: Watched, what: string): void
  /** Redis answers again: the next connection error starts a new outage. */
  recovered(): void
}

export function createOutageLog(log: Logger): OutageLog {
  let down = false
  return {
    watch(target, what) {
      target.on('error', (error) => {
        // Anything else is a real fault of its own (a script error, a bad reply): each one.
        if (!isConnectionError(error)) {
          log.error({ err: error, connection: what }, 'Redis error in the job scheduler')
          return
        }
        if (down) return
        down = true
        log.error(
          { err: error, connection: what },
          'lost Redis: new jobs are refused (UNAVAILABLE) until it returns; queued jobs and schedules wait',
        )
      })
    },
    recovered() {
      if (!down) return
      down = false
      log.info({}, 'Redis is back: jobs and schedules resume')
    },
  }
}
