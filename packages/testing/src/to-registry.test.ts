import { action, createRegistry, Type } from '@servey/core'
import { expect, test } from 'vitest'
import { toRegistry } from './to-registry.ts'

const ping = action({ result: Type.String() }, () => 'pong')

test('reuses a registry it is given', () => {
  const registry = createRegistry({ ping })
  expect(toRegistry(registry)).toBe(registry)
})

test('builds a registry from exports, naming actions after their export', () => {
  expect(toRegistry({ ping, others: [ping] }).actions.map((registered) => registered.name)).toEqual(
    ['ping'],
  )
})
