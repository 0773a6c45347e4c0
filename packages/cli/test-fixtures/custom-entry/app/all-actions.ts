import { action, Type } from '@servey/core'

export const generated = [1, 2].map((n) =>
  action({ name: `times_${n}`, params: Type.Object({ x: Type.Number() }) }, ({ x }) => x * n),
)
