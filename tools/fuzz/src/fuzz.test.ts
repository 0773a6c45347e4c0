import { describe, expect, it } from 'vitest'
import { brokenGoals, formatReport } from './report.ts'
import { runFuzz } from './run-fuzz.ts'

// The short version of `pnpm fuzz` for CI: a few hundred cases per trigger against a real
// `servey start`, about 35 s. A new seed each run (FUZZ_SEED replays one); the seed is in the
// failure message.
const seed =
  process.env['FUZZ_SEED'] === undefined
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env['FUZZ_SEED'])

describe('fuzz (short run)', () => {
  it(`keeps every goal on hostile input (seed ${seed})`, async () => {
    const lines: string[] = []
    const report = await runFuzz({
      seed,
      cases: {
        openapi: 300,
        graphql: 300,
        websocket: 300,
        sse: 300,
        protected: 300,
        lambda: 300,
        'lambda-ws': 300,
        cli: 200,
      },
      binaryCases: 2,
      concurrency: 4,
      log: (line) => lines.push(line),
    })
    const text = formatReport(report)
    expect(report.triggers.openapi.cases).toBe(300)
    expect(report.triggers.graphql.cases).toBe(300)
    expect(report.triggers.websocket.cases).toBe(300)
    expect(report.triggers.sse.cases).toBe(300)
    expect(report.triggers.protected.cases).toBe(300)
    expect(report.triggers.lambda.cases).toBe(300)
    expect(report.triggers['lambda-ws'].cases).toBe(300)
    expect(report.triggers.cli.cases).toBe(200)
    expect(brokenGoals(report), `${lines.join('\n')}\n${text}`).toEqual([])
  }, 300_000)
})
