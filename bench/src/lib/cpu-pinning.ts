import { execFileSync } from 'node:child_process'
import os from 'node:os'

/**
 * `--pin`: the servers on CPU 0, the bench process and the load generator it starts on the
 * others. On a small machine the client otherwise shares the servers' cores, and a server that
 * answers a little slower wakes a sleeping client more often inside its own `writev`: the
 * scheduler's cost is then charged to the slower side and a small difference in work shows as
 * a larger one in CPU per request. Pinning takes that out of the comparison. The servers still
 * share CPU 0 with each other, but they are loaded one at a time.
 */
export interface CpuPinning {
  readonly server: string
  readonly client: string
}

let pinning: CpuPinning | undefined

/** The split for this machine; undefined with a single CPU, where there is nothing to split. */
export function planPinning(cpus = os.availableParallelism()): CpuPinning | undefined {
  if (cpus < 2) return undefined
  return { server: '0', client: cpus === 2 ? '1' : `1-${cpus - 1}` }
}

/** Pins this process (all its threads) to the client CPUs; later servers go to the server CPU. */
export function enablePinning(plan: CpuPinning): void {
  pinProcess(process.pid, plan.client)
  pinning = plan
}

/** For a suite's summary line. */
export function describePinning(): string {
  return pinning === undefined
    ? 'not pinned'
    : `servers on CPU ${pinning.server}, bench and client on CPU ${pinning.client}`
}

/** Moves a server process just started to the server CPU when `--pin` is on. */
export function pinServer(pid: number): void {
  if (pinning !== undefined) pinProcess(pid, pinning.server)
}

function pinProcess(pid: number, cpus: string): void {
  try {
    // `-a`: every thread already running (libuv's pool, V8's GC helpers); later ones inherit it.
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' })
  } catch (error) {
    throw new Error(
      `--pin could not pin process ${pid} to CPU ${cpus} with taskset (util-linux; ` +
        `apt-get install -y util-linux): ${(error as Error).message}`,
    )
  }
}
