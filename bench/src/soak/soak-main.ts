// `pnpm soak [--minutes=10] [--warmup=2] [--sample=10] [--clients=50]`: issue 14's soak, a
// mixed load on `servey start` of examples/showcase on Redis, sampling the server's memory,
// descriptors and Redis keys. A script with recorded results (RELIABILITY.md), not a CI test.
// `pnpm soak --from=<results/...-soak.json> [--warmup=M]` judges a recorded run again with
// this version's verdicts, loading nothing.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { describeMachine } from '../lib/machine.ts'
import {
  DEFAULT_SOAK_SETTINGS,
  formatSoakReport,
  runSoak,
  verdictOf,
  type SoakReport,
} from './soak.ts'

function positive(raw: string | undefined, fallback: number, flag: string): number {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`--${flag} must be a positive number, not '${raw}'\n`)
    process.exit(2)
  }
  return value
}

const { values } = parseArgs({
  options: {
    minutes: { type: 'string' },
    warmup: { type: 'string' },
    sample: { type: 'string' },
    clients: { type: 'string' },
    from: { type: 'string' },
  },
})

if (values.from !== undefined) {
  let recorded: SoakReport
  try {
    recorded = recordedReport(JSON.parse(readFileSync(values.from, 'utf8')))
  } catch (error) {
    process.stderr.write(`--from: cannot read ${values.from}: ${(error as Error).message}\n`)
    process.exit(2)
  }
  const settings = {
    ...recorded.settings,
    ...(values.warmup === undefined
      ? {}
      : { warmupMinutes: positive(values.warmup, recorded.settings.warmupMinutes, 'warmup') }),
  }
  const report = {
    ...recorded,
    settings,
    verdict: verdictOf(recorded.samples, recorded.heapAfterGc, settings),
  }
  process.stdout.write(`${formatSoakReport(report)}\n`)
  process.exit(passed(report) ? 0 : 1)
}

const settings = {
  ...DEFAULT_SOAK_SETTINGS,
  minutes: positive(values.minutes, DEFAULT_SOAK_SETTINGS.minutes, 'minutes'),
  warmupMinutes: positive(values.warmup, DEFAULT_SOAK_SETTINGS.warmupMinutes, 'warmup'),
  sampleSeconds: positive(values.sample, DEFAULT_SOAK_SETTINGS.sampleSeconds, 'sample'),
  clients: Math.round(positive(values.clients, DEFAULT_SOAK_SETTINGS.clients, 'clients')),
}
const machine = describeMachine()
const log = (line: string) => process.stdout.write(`${line}\n`)
log(
  `${machine.date}  ${machine.cpus} CPU (${machine.cpuModel})  Node ${machine.node}  load ${machine.loadAverage.join(' ')}`,
)
const report = await runSoak(settings, log)
log('')
log(formatSoakReport(report))
const dir = fileURLToPath(new URL('../../results/', import.meta.url))
mkdirSync(dir, { recursive: true })
const file = `${dir}${machine.date.replaceAll(':', '-').replace('.', '-')}-soak.json`
writeFileSync(file, JSON.stringify({ machine, report }, null, 2))
log(`\nRaw figures: ${file}`)
process.exitCode = passed(report) ? 0 : 1

/**
 * The report of a file `pnpm soak` wrote, checked for the fields the verdicts read: another JSON
 * file (a bench result, a soak from before heap sampling) is refused by name, not with a
 * TypeError further on.
 */
function recordedReport(file: unknown): SoakReport {
  const report = (file as { report?: Partial<SoakReport> } | null)?.report
  if (
    typeof report !== 'object' ||
    report === null ||
    typeof report.settings?.warmupMinutes !== 'number' ||
    !Array.isArray(report.samples) ||
    !Array.isArray(report.heapAfterGc) ||
    !Array.isArray(report.streams)
  ) {
    throw new Error(
      'not the results of `pnpm soak` with heap sampling (report.settings, samples, heapAfterGc, streams)',
    )
  }
  return report as SoakReport
}

/** Issue 14's goals: the memory band and trend, descriptors and Redis keys not growing. */
function passed({ verdict }: Pick<SoakReport, 'verdict'>): boolean {
  return verdict.heapBandOk && verdict.trendOk && verdict.fdOk && verdict.redisKeysOk
}
