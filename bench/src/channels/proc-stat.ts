import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

// utime and stime in /proc/<pid>/stat are in clock ticks (USER_HZ, almost always 100).
let ticksPerSecond: number | undefined
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const raw = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
    ticksPerSecond = Number.isFinite(raw) && raw > 0 ? raw : 100
  }
  return ticksPerSecond
}

/**
 * CPU time (user + system) a process has used so far, in microseconds, read from
 * /proc/<pid>/stat: measured from outside, so the same for a Servey process and the baseline.
 * Resolution is one clock tick (10 ms): rounds must be long enough for it not to matter.
 */
export function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return ((utime + stime) * 1_000_000) / clockTicks()
}

/** Resident set size of a process, in bytes, from /proc/<pid>/status. */
export function processRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const line = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)
  if (line === null) throw new Error(`no VmRSS for process ${pid}`)
  return Number(line[1]) * 1024
}
