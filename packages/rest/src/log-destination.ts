import { Buffer } from 'node:buffer'
import { destination } from 'pino'

/** What pino writes its lines to, and what `logger.flush()` reaches. */
export interface LogDestination {
  write(line: string): boolean
  flush(callback?: (error?: Error) => void): void
  flushSync(): void
}

/**
 * Where the server's JSON lines go when no stream is given: stdout (`dest` 1) or a file, through
 * pino's own destination (sonic-boom, asynchronous, flushed at exit, quiet after EPIPE) in its
 * byte mode, each line encoded once as it is written.
 *
 * Why not pino's default, sonic-boom's text mode: it appends each line to the text still
 * waiting for the previous write and then measures that whole text again
 * (`Buffer.byteLength`), which makes V8 copy it into one flat string. Under load every line
 * therefore copied all that was queued before it: 8.3 KB on average per line at 50 connections
 * (BENCHMARKS.md, 2026-12-07 15:25 to 16:10), two lines per request, all of it garbage for the
 * collector. In byte mode sonic-boom queues buffers and counts their lengths, so a line costs
 * its own length once.
 */
export function jsonLogDestination(dest: number | string): LogDestination {
  const bytes = destination({ dest, contentMode: 'buffer' })
  return {
    // sonic-boom's types name only strings; in byte mode it takes and counts Buffers.
    write: (line) => bytes.write(Buffer.from(line) as unknown as string),
    flush: (callback) => bytes.flush(callback),
    flushSync: () => bytes.flushSync(),
  }
}
