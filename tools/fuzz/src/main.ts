import { parseArgs } from 'node:util'
import { brokenGoals, formatReport } from './report.ts'
import { runFuzz } from './run-fuzz.ts'

// `pnpm fuzz [--seed N] [--cases N] [--binary N] [--concurrency N]`: the full run, 10,000 cases
// per trigger by default. The seed is printed first, so a failed run can be replayed exactly.
const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    cases: { type: 'string', default: '10000' },
    binary: { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '8' },
  },
})
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed)
const cases = Number(values.cases)
if (!Number.isInteger(seed) || !Number.isInteger(cases) || cases < 1) {
  process.stderr.write(
    'usage: pnpm fuzz [--seed <integer>] [--cases <n per trigger>] [--binary <n>] [--concurrency <n>]\n',
  )
  process.exit(2)
}
process.stdout.write(`fuzz: seed ${seed} (replay with --seed ${seed})\n`)
const report = await runFuzz({
  seed,
  cases: {
    openapi: cases,
    graphql: cases,
    websocket: cases,
    sse: cases,
    protected: cases,
    lambda: cases,
    'lambda-ws': cases,
    cli: cases,
  },
  binaryCases: Number(values.binary),
  concurrency: Number(values.concurrency),
  log: (line) => process.stdout.write(`${line}\n`),
})
process.stdout.write(`${formatReport(report)}\n`)
process.exit(brokenGoals(report).length === 0 ? 0 : 1)
