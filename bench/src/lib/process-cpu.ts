import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

let ticksPerSecond: number | undefined

/** The kernel's clock ticks per second (CLK_TCK), the unit of /proc's CPU times. */
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
    } catch {
      ticksPerSecond = 100
    }
    if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0) ticksPerSecond = 100
  }
  return ticksPerSecond
}

/**
 * CPU time (user + system, all threads) a process has used so far, in microseconds, as the OS
 * accounts it: `/proc/<pid>/stat` fields 14 and 15 (utime, stime) in clock ticks. Read from
 * outside, so the measurement costs the server nothing. Linux only; undefined elsewhere.
 */
export function processCpuMicros(pid: number): number | undefined {
  return cpuMicrosOfStat(`/proc/${pid}/stat`)
}

/**
 * CPU time of one thread of a process (`/proc/<pid>/task/<tid>/stat`), in microseconds; the
 * main thread's tid is the pid. Undefined when it is gone or not on Linux.
 */
export function threadCpuMicros(pid: number, tid: number): number | undefined {
  return cpuMicrosOfStat(`/proc/${pid}/task/${tid}/stat`)
}

function cpuMicrosOfStat(path: string): number | undefined {
  let stat: string
  try {
    stat = readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
  const ticks = Number(fields[11]) + Number(fields[12])
  return (ticks / clockTicks()) * 1_000_000
}

/** Resident set size of a process, in bytes, from /proc/<pid>/status. Linux only. */
export function processRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const line = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)
  if (line === null) throw new Error(`no VmRSS for process ${pid}`)
  return Number(line[1]) * 1024
}
