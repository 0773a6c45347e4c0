import { action, createRegistry, Type, WEB_GET, WEB_POST } from '@servey/core'
import { beforeEach, describe, expect, it } from 'vitest'
import { createResultEncoders } from './result-encoder.ts'

const Point = Type.Object({ x: Type.Number(), y: Type.Number() }, { $id: 'Point' })
const registry = createRegistry({
  user: action({ triggers: [WEB_GET], result: Type.Object({ name: Type.String() }) }, () => ({
    name: 'Ada',
  })),
  free: action({ triggers: [WEB_GET] }, () => ({ name: 'Ada' })),
  // `Point` is declared in the params only; `origin` refers to it by name.
  move: action(
    { triggers: [WEB_POST], params: Type.Object({ to: Point }), result: Type.Null() },
    () => null,
  ),
  origin: action({ triggers: [WEB_GET], result: Type.Ref('Point') }, () => ({ x: 0, y: 0 })),
})
const named = (name: string) => {
  const found = registry.actions.find((entry) => entry.name === name)
  if (found === undefined) throw new Error(`no action ${name}`)
  return found
}

describe('createResultEncoders', () => {
  // Built in each test, not while the suite is collected: mutation testing attributes what
  // runs at collection to no test.
  let encoderOf: ReturnType<typeof createResultEncoders>
  beforeEach(() => {
    encoderOf = createResultEncoders(registry)
  })

  it('drops a field the result schema does not declare, never leaking it', () => {
    expect(encoderOf(named('user'))({ name: 'Ada', passwordHash: 'x' })).toBe('{"name":"Ada"}')
  })

  it('encodes a result without a schema as JSON.stringify does', () => {
    const value = { name: 'Ada', extra: [1, 'two', null], nested: { a: true } }
    expect(encoderOf(named('free'))(value)).toBe(JSON.stringify(value))
  })

  it("resolves a named type declared in another action's params", () => {
    expect(encoderOf(named('origin'))({ x: 1, y: 2, z: 3 })).toBe('{"x":1,"y":2}')
  })

  it('compiles once per action', () => {
    const first = encoderOf(named('user'))
    expect(encoderOf(named('user'))).toBe(first)
    expect(encoderOf(named('origin'))).not.toBe(first)
  })
})
