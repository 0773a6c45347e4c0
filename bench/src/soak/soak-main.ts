// `pnpm soak [--minutes=10] [--warmup=2] [--sample=10] [--clients=50]`: issue 14's soak, a
// mixed load on `servey start` of examples/showcase on Redis, sampling the server's memory,
// descriptors and Redis keys. A script with recorded results (RELIABILITY.md), not a CI test.
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { describeMachine } from '../lib/machine.ts'
import { DEFAULT_SOAK_SETTINGS, formatSoakReport, runSoak } from './soak.ts'

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
  },
})

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
const { rssOk, trendOk, fdOk, redisKeysOk } = report.verdict
process.exitCode = rssOk && trendOk && fdOk && redisKeysOk ? 0 : 1
