import { inspect } from 'node:util'
import type { ClientOutcome, Example, Problem } from '@servey/core'
import { assert, expect } from 'vitest'

function show(value: unknown): string {
  return inspect(value, { depth: 6, breakLength: Number.POSITIVE_INFINITY })
}

function describeProblem(problem: Problem): string {
  const issues =
    problem.issues === undefined || problem.issues.length === 0
      ? ''
      : ` [${problem.issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}]`
  return `${problem.code} (${problem.status}): ${problem.detail}${issues}`
}

/**
 * Check one call against its example. `label` names the action, example and transport and
 * starts every failure message; results go through `toEqual` so vitest prints a diff.
 * An example with neither `result` nor `error` only asserts that the call succeeds.
 */
export function assertExampleOutcome(
  outcome: ClientOutcome,
  example: Example,
  label: string,
): void {
  if (example.error !== undefined && example.result !== undefined) {
    assert.fail(`${label}: the example declares both a result and an error; keep one`)
  }
  if (example.error !== undefined) {
    if (outcome.ok) {
      assert.fail(
        `${label}: expected the call to fail with ${example.error}, but it returned ${show(outcome.result)}`,
      )
    }
    expect(outcome.problem.code, `${label}: ${describeProblem(outcome.problem)}`).toBe(
      example.error,
    )
    return
  }
  if (!outcome.ok) {
    const expected = example.result === undefined ? 'success' : show(example.result)
    assert.fail(
      `${label}: expected ${expected}, but the call failed with ${describeProblem(outcome.problem)}`,
    )
  }
  if (example.result !== undefined) expect(outcome.result, label).toEqual(example.result)
}
