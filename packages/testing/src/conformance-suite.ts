import {
  createRegistry,
  type ActionClient,
  type ClientOutcome,
  type Problem,
  type RegisteredAction,
  type Registry,
} from '@servey/core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createConformanceFixtures } from './fixtures.ts'

/** A transport under test, ready to call the registry it was given. */
export interface ConformanceTarget {
  readonly client: ActionClient
  close(): Promise<void>
}

export interface ConformanceSuiteOptions {
  /** The transport, as test names show it: `rest`, `graphql`. */
  readonly name: string
  /** Serve `registry` over the transport; called once, before the first check. */
  setup(registry: Registry): Promise<ConformanceTarget>
}

function expectProblem(outcome: ClientOutcome, code: string, status: number): Problem {
  if (outcome.ok) {
    throw new Error(
      `expected the call to fail with ${code}, but it returned ${JSON.stringify(outcome.result)}`,
    )
  }
  expect({ code: outcome.problem.code, status: outcome.problem.status }).toEqual({ code, status })
  return outcome.problem
}

function expectResult(outcome: ClientOutcome, expected: unknown): void {
  if (!outcome.ok) {
    throw new Error(`expected a result, but the call failed: ${JSON.stringify(outcome.problem)}`)
  }
  expect(outcome.result).toEqual(expected)
}

function failingPaths(problem: Problem): string[] {
  return [...new Set((problem.issues ?? []).map((issue) => issue.path))].sort()
}

/**
 * The behaviour every transport owes its callers, checked through the transport's client:
 * params arrive intact or coerced as the schema says, bad input is a 400 naming each failing
 * path, errors keep their code and status, internals never leak, and a timeout aborts the
 * handler's signal. The in-process client is the reference and passes it by construction.
 */
export function runConformanceSuite(options: ConformanceSuiteOptions): void {
  describe(`${options.name} conformance`, () => {
    const fixtures = createConformanceFixtures()
    const registry = createRegistry(fixtures.actions)
    let target: ConformanceTarget | undefined

    beforeAll(async () => {
      target = await options.setup(registry)
    })
    afterAll(async () => {
      await target?.close()
    })

    function fixture(name: string): RegisteredAction {
      const found = registry.get(name)
      if (found === undefined) throw new Error(`conformance fixture '${name}' is missing`)
      return found
    }

    function call(name: string, params: unknown): Promise<ClientOutcome> {
      if (target === undefined) throw new Error(`${options.name}: setup did not finish`)
      return target.client.call(fixture(name), params)
    }

    test('serves every fixture action', () => {
      const unserved = registry.actions.filter((action) => target?.client.serves(action) !== true)
      expect(unserved.map((action) => action.name)).toEqual([])
    })

    describe('echo (POST)', () => {
      test('returns strings, numbers, nested objects and arrays unchanged', async () => {
        const params = {
          text: 'plain text',
          number: 42.5,
          nested: { label: 'inner', items: [1, 2, 3] },
          list: ['a', 'b', 'c'],
        }
        expectResult(await call('echo', params), params)
      })

      test('keeps edge values: empty strings and arrays, zero, negatives, large integers', async () => {
        const params = {
          text: '',
          number: -9_007_199_254_740_991,
          nested: { label: ' spaced ', items: [] },
          list: [],
        }
        expectResult(await call('echo', params), params)
      })

      test('keeps unicode, quotes and control characters intact', async () => {
        const params = {
          text: 'héllo wörld — 你好 👋🏽 "quoted" \\ back\nnew line\ttab',
          number: 0,
          nested: { label: 'Ωμέγα', items: [0] },
          list: ['ünï', 'emoji 🎉', '&amp; <tag> %20 ?x=1'],
        }
        expectResult(await call('echo', params), params)
      })
    })

    describe('validated input (GET)', () => {
      test('accepts typed params and returns them typed', async () => {
        const params = { count: 3, tags: ['a', 'b'], flag: true }
        expectResult(await call('validated_input', params), params)
      })

      test('reads a single tag as a one-element array', async () => {
        expectResult(await call('validated_input', { count: 1, tags: ['x'], flag: false }), {
          count: 1,
          tags: ['x'],
          flag: false,
        })
      })

      test('rejects wrong types with INVALID_PARAMS, 400 and each failing path', async () => {
        const problem = expectProblem(
          await call('validated_input', { count: 'many', tags: ['a'], flag: 'maybe' }),
          'INVALID_PARAMS',
          400,
        )
        expect(failingPaths(problem)).toEqual(['/count', '/flag'])
      })

      test('rejects a value outside the schema range', async () => {
        const problem = expectProblem(
          await call('validated_input', { count: 0, tags: ['a'], flag: true }),
          'INVALID_PARAMS',
          400,
        )
        expect(failingPaths(problem)).toEqual(['/count'])
      })

      test('rejects a fractional number for an integer', async () => {
        const problem = expectProblem(
          await call('validated_input', { count: 2.5, tags: ['a'], flag: true }),
          'INVALID_PARAMS',
          400,
        )
        expect(failingPaths(problem)).toEqual(['/count'])
      })

      test('names every missing required param', async () => {
        const problem = expectProblem(
          await call('validated_input', { tags: ['a'] }),
          'INVALID_PARAMS',
          400,
        )
        expect(failingPaths(problem)).toEqual(['/count', '/flag'])
      })

      test('ignores params an open schema does not declare', async () => {
        expectResult(
          await call('validated_input', { count: 2, tags: ['a'], flag: true, extra: 'x' }),
          {
            count: 2,
            tags: ['a'],
            flag: true,
          },
        )
      })

      test('rejects params a closed schema does not declare', async () => {
        const problem = expectProblem(
          await call('closed_input', { name: 'n', extra: 'x' }),
          'INVALID_PARAMS',
          400,
        )
        expect(failingPaths(problem)).toEqual(['/extra'])
      })
    })

    describe('errors', () => {
      test('an ActionError keeps its code, status and detail', async () => {
        const problem = expectProblem(await call('failing', {}), 'NOT_FOUND', 404)
        expect(problem.detail).toBe('No such thing')
      })

      test('an unexpected error is INTERNAL 500 and reveals no internals', async () => {
        const problem = expectProblem(await call('crashing', {}), 'INTERNAL', 500)
        expect(problem.detail).not.toContain('secret internals')
        expect(JSON.stringify(problem)).not.toContain('secret internals')
      })

      test('a non-finite number in params is INVALID_PARAMS naming its path', async () => {
        const problem = expectProblem(
          await call('validated_input', { count: Infinity, tags: ['a'], flag: true }),
          'INVALID_PARAMS',
          400,
        )
        expect(failingPaths(problem)).toEqual(['/count'])
      })

      test('a non-finite result is INVALID_RESULT 500, never null or a serializer crash', async () => {
        expectResult(await call('scaled', { factor: 0.5 }), Number.MAX_VALUE * 0.5)
        const problem = expectProblem(await call('scaled', { factor: 2 }), 'INVALID_RESULT', 500)
        expect(problem.detail).not.toContain('Infinity')
      })

      test('a timeout is TIMEOUT 504 and aborts the handler signal', async () => {
        expectProblem(await call('slow', {}), 'TIMEOUT', 504)
        expect(fixtures.slowAbortReasons).toHaveLength(1)
        expect(fixtures.slowAbortReasons[0]).toMatchObject({ code: 'TIMEOUT' })
      })
    })
  })
}
