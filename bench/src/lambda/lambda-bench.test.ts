// Smoke test of `pnpm bench lambda`: `servey sls` writes the say_hello bundle, and one fresh
// process of each side answers and reports its figures. Correctness only: nothing is timed.
import { expect, it } from 'vitest'
import { formatLambdaReport, runLambdaBench } from './lambda-bench.ts'

it('runs the say_hello bundle and the bare handler once each, with wall and CPU time', () => {
  const report = runLambdaBench({ runs: 1, app: 'hello' })
  expect(report.answer).toBe('"Hello World!"')
  expect(report.bundleBytes).toBeGreaterThan(0)
  for (const side of [report.servey, report.bare]) {
    expect(side.samples).toHaveLength(1)
    expect(side.medianInitMs).toBeGreaterThan(0)
    // The import alone costs the process some CPU, on either side.
    expect(side.medianInitCpuMs).toBeGreaterThan(0)
  }
  const text = formatLambdaReport(report)
  expect(text).toMatch(/its CPU time/)
  expect(text).toMatch(/CPU time added: -?\d+\.\d ms/)
}, 120_000)
