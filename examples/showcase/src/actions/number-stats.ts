import { action, Type, WEB_GET } from '@servey/core'

/**
 * The values whose factorial is a finite double: 171! is Infinity, which JSON cannot carry (the
 * result would fail validation as a 500). The bound also keeps `factorial`, a synchronous loop
 * that no action timeout can interrupt, to at most 170 steps: unbounded, a value of 2^31 held
 * the event loop for seconds and every other request waited (issue 14). Declare such bounds in
 * the schema: the request is refused as a 400 before any work. The lower bound is arbitrary; a
 * negative value costs nothing.
 */
const StatsValue = Type.Integer({ minimum: -1_000_000, maximum: 170 })

/** A named type: GraphQL exposes it as `NumberStats`, with the lazily resolved `factorial`. */
export const NumberStats = Type.Object({ value: Type.Integer() }, { $id: 'NumberStats' })

export const number_stats = action(
  {
    triggers: [WEB_GET],
    params: Type.Object({ value: StatsValue }),
    result: NumberStats,
    description: 'Statistics about an integer',
    examples: [
      { name: 'stats_of_five', params: { value: 5 }, result: { value: 5 } },
      { name: 'stats_of_a_negative', params: { value: -3 }, result: { value: -3 } },
    ],
  },
  ({ value }) => ({ value }),
)

/** The original's `getStatsForNumbers`: a list, so `factorial` is resolved in one batch. */
export const stats_for_numbers = action(
  {
    triggers: [WEB_GET],
    params: Type.Object({ numbers: Type.Array(StatsValue, { maxItems: 100 }) }),
    result: Type.Array(NumberStats),
    description: 'Statistics about several integers',
    examples: [
      {
        name: 'stats_of_evens',
        params: { numbers: [2, 4, 6, 8] },
        result: [{ value: 2 }, { value: 4 }, { value: 6 }, { value: 8 }],
      },
    ],
  },
  ({ numbers }) => numbers.map((value) => ({ value })),
)

function factorialOf(value: number): number | null {
  if (value < 0) return null
  let result = 1
  for (let i = 2; i <= value; i++) result *= i
  return result
}

/**
 * A nested action: a field of `NumberStats`, computed only when a GraphQL query asks for it,
 * with the object it belongs to as `context.parent`. Over a list, `batch` answers every item
 * in one call. Null for a negative value, where the factorial is not defined.
 */
export const factorial = action(
  {
    parent: NumberStats,
    result: Type.Union([Type.Number(), Type.Null()]),
    description: 'The factorial of the value (null for a negative value)',
    batch: (parents) => parents.map((parent) => factorialOf(parent.value)),
  },
  (_params, { parent }) => factorialOf(parent.value),
)
