import { execFile, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Whether valgrind can run here, and what to do when it cannot. */
export function valgrindAvailability():
  | { readonly available: true; readonly version: string }
  | { readonly available: false; readonly message: string } {
  const probe = spawnSync('valgrind', ['--version'], { encoding: 'utf8' })
  if (probe.status === 0) return { available: true, version: probe.stdout.trim() }
  return {
    available: false,
    message:
      '`pnpm bench instructions` runs the servers under valgrind, which is not installed: ' +
      '`apt-get install -y valgrind` (Debian) and run it again.',
  }
}

/**
 * Runs Node under callgrind, one counter per thread (`--separate-threads`): thread 1 is the
 * event loop, the others V8's compiler and GC helpers, which the OS also charges the process
 * for. Counting starts at once; `zero` and `dump` bracket each measured run.
 */
export function callgrindLauncher(outFile: string): readonly string[] {
  return [
    'valgrind',
    // No banner on stderr: nothing but the server's own errors.
    '--quiet',
    '--tool=callgrind',
    '--separate-threads=yes',
    `--callgrind-out-file=${outFile}`,
  ]
}

/** Instructions counted since the last zero: the event-loop thread, and every thread. */
export interface InstructionCount {
  readonly main: number
  readonly all: number
  /** The event-loop thread's dump file, for attribution. */
  readonly mainFile: string
}

/** Sets the process's counters to zero. */
export async function zeroCounters(pid: number): Promise<void> {
  await run('callgrind_control', ['--zero', String(pid)])
}

/**
 * Dumps the counters as part `part` (1 for the process's first dump, and so on) and reads it
 * back. callgrind writes one file per thread: `<outFile>.<part>-<thread>`.
 */
export async function dumpCounters(
  pid: number,
  outFile: string,
  part: number,
): Promise<InstructionCount> {
  await run('callgrind_control', [`--dump=part ${part}`, String(pid)])
  const deadline = Date.now() + 60_000
  for (;;) {
    const count = readDump(outFile, part)
    if (count !== undefined) return count
    if (Date.now() > deadline) throw new Error(`callgrind wrote no complete dump ${part}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** The totals of part `part`, once every thread's file is complete; undefined before. */
export function readDump(outFile: string, part: number): InstructionCount | undefined {
  const prefix = `${basename(outFile)}.${part}-`
  const files = readdirSync(dirname(outFile))
    .filter((name) => name.startsWith(prefix))
    .sort()
  if (files.length === 0) return undefined
  let all = 0
  let main: number | undefined
  for (const name of files) {
    const total = dumpTotal(readFileSync(join(dirname(outFile), name), 'utf8'))
    if (total === undefined) return undefined
    all += total
    if (name === `${prefix}01`) main = total
  }
  if (main === undefined) return undefined
  return { main, all, mainFile: join(dirname(outFile), `${prefix}01`) }
}

/** The `totals:` line callgrind writes last (so its presence means the file is complete). */
export function dumpTotal(text: string): number | undefined {
  const match = /^totals:\s+(\d+)/m.exec(text)
  return match === null ? undefined : Number(match[1])
}

/** One entry of V8's `--perf-basic-prof` map: where a compiled function's code lies. */
interface CodeRange {
  readonly start: number
  readonly end: number
  readonly name: string
  /** Order written: code freed and reused by a later function is named by the later entry. */
  readonly order: number
}

/**
 * A lookup from code address to JavaScript function, read from `/tmp/perf-<pid>.map`
 * (`<hex start> <hex size> <name>` per line). callgrind sees V8's compiled code as bare
 * addresses; this names them.
 */
export function codeNames(mapText: string): (address: number) => string | undefined {
  const ranges: CodeRange[] = []
  for (const line of mapText.split('\n')) {
    const match = /^([0-9a-f]+) ([0-9a-f]+) (.+)$/i.exec(line)
    if (match === null) continue
    const start = Number.parseInt(match[1] as string, 16)
    ranges.push({
      start,
      end: start + Number.parseInt(match[2] as string, 16),
      name: (match[3] as string).replace(/^(JS|Builtin|Stub|RegExp|Handler):[*~^+]?/, ''),
      order: ranges.length,
    })
  }
  ranges.sort((a, b) => a.start - b.start)
  return (address) => {
    // The last range starting at or before the address, then back over overlapping ones.
    let low = 0
    let high = ranges.length - 1
    while (low <= high) {
      const middle = (low + high) >> 1
      if ((ranges[middle] as CodeRange).start <= address) low = middle + 1
      else high = middle - 1
    }
    let best: CodeRange | undefined
    for (let index = high; index >= 0 && index > high - 64; index--) {
      const range = ranges[index] as CodeRange
      if (address < range.end && (best === undefined || range.order > best.order)) best = range
    }
    return best?.name
  }
}

/** Instructions per function (self cost, not counting callees), from `callgrind_annotate`. */
export async function selfCosts(
  dumpFile: string,
  nameOf: (address: number) => string | undefined,
): Promise<Map<string, number>> {
  const { stdout } = await run('callgrind_annotate', ['--threshold=100', dumpFile], {
    maxBuffer: 64 * 1024 * 1024,
  })
  return parseSelfCosts(stdout, nameOf)
}

export function parseSelfCosts(
  annotated: string,
  nameOf: (address: number) => string | undefined,
): Map<string, number> {
  const costs = new Map<string, number>()
  const rows: { name: string; cost: number }[] = []
  let total = Number.POSITIVE_INFINITY
  for (const line of annotated.split('\n')) {
    const match = /^\s*([\d,]+) \([^)]*\)\s+(.+)$/.exec(line)
    if (match === null) continue
    const cost = Number((match[1] as string).replaceAll(',', ''))
    if (line.includes('PROGRAM TOTALS')) total = cost
    else rows.push({ name: match[2] as string, cost })
  }
  for (const row of rows) {
    // callgrind_annotate also lists the frames below the event loop (main, node::Start, ...)
    // with everything under them: no function costs half of all by itself.
    if (row.cost * 2 > total) continue
    let name = row.name
    const jit = /^\?\?\?:0x([0-9a-f]+) \[\?\?\?\]$/.exec(name)
    if (jit !== null) name = nameOf(Number.parseInt(jit[1] as string, 16)) ?? 'unnamed code'
    costs.set(name, (costs.get(name) ?? 0) + row.cost)
  }
  return costs
}

/** V8's perf map of a process, if `--perf-basic-prof` wrote one. */
export function perfMapOf(pid: number): string | undefined {
  const path = `/tmp/perf-${pid}.map`
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined
}
