import { action, Type, WEB_GET } from '@servey/core'

/** Actions made in a loop: each needs an explicit name, as no export names it. */
export const generated = [1, 2, 3].map((i) =>
  action(
    {
      name: `generated_${i}`,
      description: `Returns ${i}: one of three actions generated in a loop`,
      triggers: [WEB_GET],
      result: Type.Integer(),
      examples: [{ name: `returns_${i}`, params: {}, result: i }],
    },
    () => i,
  ),
)
