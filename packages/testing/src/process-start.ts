import { availableParallelism, loadavg } from 'node:os'

/**
 * How long a test waits for a child process it spawned to be ready (a `servey start` to print
 * its URL, a worker to print `ready`). Alone on the machine one starts in 1-3 s; with CI and
 * other builds sharing two CPUs (load averages of 15-20 are usual here) three at once have
 * taken over 15 s. Only these waits are long: every other wait keeps its own short bound, and
 * no test file raises its global timeout for them.
 */
export const PROCESS_START_TIMEOUT_MS = 45_000

/** The failure message for a process that was not ready in time, with the load that explains it. */
export function notReadyMessage(what: string, waitedMs: number, output: string): string {
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(', ')
  return (
    `${what} was not ready within ${waitedMs / 1000} s (PROCESS_START_TIMEOUT_MS of ` +
    `@servey/testing; load average ${load} on ${availableParallelism()} CPUs). Its output:\n` +
    output
  )
}
