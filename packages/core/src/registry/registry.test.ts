import { Type, type TSchema } from 'typebox'
import { describe, expect, it } from 'vitest'
import { action } from '../action/define-action.ts'
import { isDefinitionError } from '../errors/definition-error.ts'
import { WEB_GET, WEB_POST, web, type WebTrigger } from '../trigger/web-trigger.ts'
import { createInvoker } from '../invoke/invoker.ts'
import { createRegistry } from './registry.ts'

function thrownBy(fn: () => unknown): Error & { code?: string } {
  try {
    fn()
  } catch (error) {
    expect(isDefinitionError(error)).toBe(true)
    return error as Error & { code?: string }
  }
  throw new Error('expected a throw')
}

const schedule = { kind: 'schedule', every: '1m' }

describe('createRegistry: discovery', () => {
  it('collects every exported action of a module namespace object', async () => {
    const module = await import('./registry.fixture.ts')
    const registry = createRegistry(module)
    expect(registry.actions.map((entry) => entry.name)).toEqual([
      'generated_1',
      'generated_2',
      'generated_3',
      'ping',
      'say_hello',
      'sub_add',
    ])
    // Non-action exports (constants, helpers) are ignored rather than rejected.
    expect(registry.get('not_an_action')).toBeUndefined()
  })

  it('collects actions inside nested objects and arrays, loop-generated ones included', () => {
    const generated = [1, 2, 3].map((n) => action({ name: `generated_${n}` }, () => n))
    const registry = createRegistry({
      admin: { users: { deleteUser: action({}, () => true) } },
      generated,
      list: [[action({ name: 'deep_in_array' }, () => 1)]],
    })
    expect(registry.actions.map((entry) => [entry.name, entry.source])).toEqual([
      ['deep_in_array', 'export list[0][0]'],
      ['delete_user', 'export admin.users.deleteUser'],
      ['generated_1', 'export generated[0]'],
      ['generated_2', 'export generated[1]'],
      ['generated_3', 'export generated[2]'],
    ])
  })

  it('accepts a plain array of actions', () => {
    const registry = createRegistry([
      action({ name: 'a' }, () => 1),
      action({ name: 'b' }, () => 2),
    ])
    expect(registry.actions.map((entry) => entry.name)).toEqual(['a', 'b'])
  })

  it('ignores class instances, maps and primitives instead of walking into them', () => {
    class Service {
      hidden = action({ name: 'hidden' }, () => 1)
    }
    const registry = createRegistry({
      service: new Service(),
      map: new Map([['x', action({ name: 'in_map' }, () => 1)]]),
      count: 3,
      label: 'text',
      nothing: null,
    })
    expect(registry.actions).toEqual([])
  })

  it('searches exported objects and arrays four levels deep, no deeper', () => {
    const ping = action({ name: 'ping' }, () => 'pong')
    expect(createRegistry({ a: { b: { c: { d: { ping } } } } }).get('ping')?.source).toBe(
      'export a.b.c.d.ping',
    )
    expect(createRegistry({ a: { b: { c: { d: { e: { ping } } } } } }).actions).toEqual([])
  })

  it('survives cycles between exported objects', () => {
    const a: Record<string, unknown> = { ping: action({}, () => 'pong') }
    a['self'] = a
    expect(createRegistry(a).actions.map((entry) => entry.name)).toEqual(['ping'])
  })

  it('registers an action exported twice only once, under its first location', () => {
    const ping = action({ name: 'ping' }, () => 'pong')
    const registry = createRegistry({ ping, again: ping, all: [ping] })
    expect(registry.actions).toHaveLength(1)
    expect(registry.get('ping')?.source).toBe('export ping')
  })
})

describe('createRegistry: names', () => {
  it('prefers the explicit name, then the function name, then the export key', () => {
    const registry = createRegistry({
      exportKey: action({ name: 'explicit' }, function fromFunction() {
        return 1
      }),
      otherKey: action({}, function fromFunction() {
        return 2
      }),
      sayHello: action({}, () => 3),
      number_stats: action({}, () => 4),
    })
    expect(registry.actions.map((entry) => [entry.name, entry.source])).toEqual([
      ['explicit', 'export exportKey'],
      ['from_function', 'export otherKey'],
      ['number_stats', 'export number_stats'],
      ['say_hello', 'export sayHello'],
    ])
  })

  it('derives the kebab and camel spellings from the name', () => {
    const registry = createRegistry({ slowGetWithTtl: action({}, () => 1) })
    expect(registry.get('slow_get_with_ttl')).toMatchObject({
      name: 'slow_get_with_ttl',
      kebabName: 'slow-get-with-ttl',
      camelName: 'slowGetWithTtl',
    })
  })

  it('fails with SERVEY_ERR_ACTION_NAME_MISSING naming where an unnamed action is', () => {
    const error = thrownBy(() =>
      createRegistry({ generated: [action({ name: 'ok' }, () => 1), action({}, () => 2)] }),
    )
    expect(error.code).toBe('SERVEY_ERR_ACTION_NAME_MISSING')
    expect(error.message).toContain('export generated[1]')
  })

  it('does not take a name from a default export', () => {
    const error = thrownBy(() => createRegistry({ default: action({}, () => 1) }))
    expect(error.code).toBe('SERVEY_ERR_ACTION_NAME_MISSING')
    expect(error.message).toContain('export default')
  })

  it('rejects an invalid explicit name with SERVEY_ERR_ACTION_NAME_INVALID', () => {
    const error = thrownBy(() => createRegistry({ greet: action({ name: 'Say Hello' }, () => 1) }))
    expect(error.code).toBe('SERVEY_ERR_ACTION_NAME_INVALID')
    expect(error.message).toContain("'Say Hello'")
    expect(error.message).toContain('export greet')
  })

  it('rejects two different actions with one name, naming both places', () => {
    const error = thrownBy(() =>
      createRegistry({
        first: action({ name: 'greet' }, () => 1),
        nested: { second: action({ name: 'greet' }, () => 2) },
      }),
    )
    expect(error.code).toBe('SERVEY_ERR_REGISTRY_DUPLICATE_NAME')
    expect(error.message).toBe(
      "Two different actions are named 'greet': export first and export nested.second",
    )
  })

  it('rejects two names that share one camelCase spelling', () => {
    const error = thrownBy(() =>
      createRegistry({
        a: action({ name: 'generated_1' }, () => 1),
        b: action({ name: 'generated1' }, () => 2),
      }),
    )
    expect(error.code).toBe('SERVEY_ERR_REGISTRY_NAME_CLASH')
    expect(error.message).toContain("'generated1'")
    expect(error.message).toContain('export a')
    expect(error.message).toContain('export b')
  })
})

describe('createRegistry: lookups', () => {
  const ping = action({ name: 'ping', triggers: [WEB_GET, schedule] }, () => 'pong')
  const echo = action({ name: 'echo', triggers: [WEB_POST] }, () => 'echo')
  const quiet = action({ name: 'quiet' }, () => null)
  const registry = createRegistry({ ping, quiet, echo })

  it('sorts actions by name whatever the export order', () => {
    expect(registry.actions.map((entry) => entry.name)).toEqual(['echo', 'ping', 'quiet'])
    expect(createRegistry({ echo, quiet, ping }).actions.map((entry) => entry.name)).toEqual(
      registry.actions.map((entry) => entry.name),
    )
  })

  it('finds actions by name and by the action object', () => {
    expect(registry.get('ping')?.action).toBe(ping)
    expect(registry.find(echo)?.name).toBe('echo')
    expect(registry.get('missing')).toBeUndefined()
    expect(registry.find(action({ name: 'elsewhere' }, () => 1))).toBeUndefined()
  })

  it('lists (action, trigger) pairs of one kind in name order', () => {
    const web = registry.triggersOf<WebTrigger>('web')
    expect(web.map(({ action: entry, trigger }) => [entry.name, trigger.method])).toEqual([
      ['echo', 'POST'],
      ['ping', 'GET'],
    ])
    expect(registry.triggersOf('schedule')).toEqual([
      { action: registry.get('ping'), trigger: schedule },
    ])
    expect(registry.triggersOf('nothing')).toEqual([])
  })

  it('is frozen: adapters read it, never change it', () => {
    expect(Object.isFrozen(registry)).toBe(true)
    expect(Object.isFrozen(registry.actions)).toBe(true)
  })
})

describe('createRegistry: definitions are checked at start-up', () => {
  it('rejects a trigger that is not a trigger object', () => {
    const error = thrownBy(() =>
      createRegistry({ bad: action({ triggers: [{} as never] }, () => 1) }),
    )
    expect(error.code).toBe('SERVEY_ERR_TRIGGER_INVALID')
    expect(error.message).toContain('action bad')
  })

  it('rejects an unknown web method', () => {
    const error = thrownBy(() =>
      createRegistry({
        bad: action({ triggers: [{ kind: 'web', method: 'FETCH' } as never] }, () => 1),
      }),
    )
    expect(error.code).toBe('SERVEY_ERR_TRIGGER_METHOD_INVALID')
    expect(error.message).toContain("'FETCH'")
  })

  it.each(['users/:id', '/users//x', '/users/:', '/users/:1d', '/a b'])(
    'rejects the web path %j',
    (path) => {
      const error = thrownBy(() =>
        createRegistry({ bad: action({ triggers: [web({ method: 'GET', path })] }, () => 1) }),
      )
      expect(error.code).toBe('SERVEY_ERR_TRIGGER_PATH_INVALID')
    },
  )

  it('rejects a path parameter the params schema does not declare', () => {
    const error = thrownBy(() =>
      createRegistry({
        getUser: action(
          {
            params: Type.Object({ id: Type.String() }),
            triggers: [web({ method: 'GET', path: '/users/:id/posts/:postId' })],
          },
          () => 1,
        ),
      }),
    )
    expect(error.code).toBe('SERVEY_ERR_TRIGGER_PATH_PARAM_UNKNOWN')
    expect(error.message).toContain(':postId')
    expect(error.message).toContain('action get_user')
  })

  it('accepts custom paths whose parameters are declared', () => {
    const registry = createRegistry({
      getPost: action(
        {
          params: Type.Object({ id: Type.String(), postId: Type.Integer() }),
          triggers: [
            web({ method: 'GET', path: '/users/:id/posts/:postId' }),
            web({ method: 'GET', path: '/' }),
          ],
        },
        () => 1,
      ),
    })
    expect(registry.triggersOf('web')).toHaveLength(2)
  })

  it('leaves triggers of other kinds to their adapters', () => {
    const registry = createRegistry({
      tick: action({ triggers: [{ kind: 'made-up', anything: true } as never] }, () => 1),
    })
    expect(registry.triggersOf('made-up')).toHaveLength(1)
  })

  it('rejects an example whose params do not match the params schema', () => {
    const error = thrownBy(() =>
      createRegistry({
        sayHello: action(
          {
            params: Type.Object({ name: Type.String() }),
            examples: [
              { name: 'good', params: { name: 'Developer' } },
              { name: 'bad', params: { name: 42 } as never },
            ],
          },
          ({ name }) => name,
        ),
      }),
    )
    expect(error.code).toBe('SERVEY_ERR_ACTION_EXAMPLE_INVALID')
    expect(error.message).toBe(
      "Example 'bad' of action say_hello has params that do not match the params schema: /name must be string",
    )
  })

  it('does not fill defaults into the example while checking it', () => {
    // `n` has a default, so an example may leave it out; the static type cannot know that.
    const example = { name: 'defaults', params: {} as { n: number } }
    createRegistry({
      withDefault: action(
        { params: Type.Object({ n: Type.Number({ default: 1 }) }), examples: [example] },
        () => 1,
      ),
    })
    expect(example.params).toEqual({})
  })

  it('rejects a schema that does not compile', () => {
    const error = thrownBy(() =>
      createRegistry({
        broken: action({ result: { type: 'no-such-type' } as unknown as TSchema }, () => 1),
      }),
    )
    expect(error.code).toBe('SERVEY_ERR_ACTION_SCHEMA_INVALID')
    expect(error.message).toContain('The result schema of action broken')
  })
})

describe('createRegistry: named types', () => {
  const Point = Type.Object({ x: Type.Number(), y: Type.Number() }, { $id: 'Point' })

  it('lets actions share a type with an $id, and refer to it by Type.Ref', async () => {
    const registry = createRegistry({
      distance: action({ params: Type.Object({ from: Point, to: Point }) }, () => 0),
      // Only a reference here: the type itself comes from the other action.
      origin: action({ result: Type.Ref('Point') }, () => ({ x: 0, y: 0 })),
    })
    expect(
      registry.get('distance')?.checkParams({ from: { x: 0, y: 0 }, to: { x: 'a', y: 0 } }, 'json'),
    ).toEqual([{ path: '/to/x', message: 'must be number', keyword: 'type' }])
    expect(registry.get('origin')?.checkResult({ x: 0, y: 0 })).toBeNull()
  })

  it('rejects two different types under one $id', () => {
    const error = thrownBy(() =>
      createRegistry({
        a: action({ params: Type.Object({ at: Point }) }, () => 0),
        b: action(
          { params: Type.Object({ at: Type.Object({ lat: Type.Number() }, { $id: 'Point' }) }) },
          () => 0,
        ),
      }),
    )
    expect(error.code).toBe('SERVEY_ERR_SCHEMA_ID_CONFLICT')
    expect(error.message).toContain("'Point'")
  })
})

describe('createRegistry({ compile: "lazy" })', () => {
  it('defers compiling and example checks to the first call', async () => {
    const broken = action(
      {
        name: 'broken',
        params: Type.Object({ n: Type.Integer() }),
        examples: [{ name: 'bad', params: { n: 'x' as never } }],
      },
      () => 1,
    )
    expect(() => createRegistry({ broken })).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_ACTION_EXAMPLE_INVALID' }),
    )
    const lazy = createRegistry({ broken }, { compile: 'lazy' })
    const invoker = createInvoker(lazy)
    expect(await invoker.invoke({ action: 'broken', input: { n: 2 } })).toEqual({
      ok: true,
      result: 1,
    })
    expect(await invoker.invoke({ action: 'broken', input: { n: 'x' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS' },
    })
  })
})

describe('createRegistry({ checkSchemas: false })', () => {
  // minLength -1 breaks the meta-schema (a non-negative integer) but compiles.
  const odd = action({ params: Type.Object({ name: Type.String({ minLength: -1 }) }) }, () => 1)

  it('refuses a schema the JSON Schema meta-schema refuses, by default', () => {
    expect(() => createRegistry({ odd })).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_ACTION_SCHEMA_INVALID' }),
    )
  })

  it('skips that check (for bundles whose schemas were checked when built) and still validates', async () => {
    const registry = createRegistry({ odd }, { compile: 'lazy', checkSchemas: false })
    const invoker = createInvoker(registry)
    expect(await invoker.invoke({ action: 'odd', input: { name: 'x' } })).toEqual({
      ok: true,
      result: 1,
    })
    expect(await invoker.invoke({ action: 'odd', input: { name: 3 } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS' },
    })
  })
})
