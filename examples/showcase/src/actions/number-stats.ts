import { action, Type, WEB_GET } from '@servey/core'

// A named type: GraphQL exposes it as `NumberStats`, where a lazily resolved `factorial`
// field is to be added.
export const NumberStats = Type.Object({ value: Type.Integer() }, { $id: 'NumberStats' })

export const number_stats = action(
  {
    triggers: [WEB_GET],
    params: Type.Object({ value: Type.Integer() }),
    result: NumberStats,
    description: 'Statistics about an integer',
    examples: [
      { name: 'stats_of_five', params: { value: 5 }, result: { value: 5 } },
      { name: 'stats_of_a_negative', params: { value: -3 }, result: { value: -3 } },
    ],
  },
  ({ value }) => ({ value }),
)
