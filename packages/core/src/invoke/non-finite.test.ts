import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import { action } from '../action/define-action.ts'
import { createRegistry } from '../registry/registry.ts'
import { createInvoker } from './invoker.ts'
import { recordingLogger } from './recording-logger.fixture.ts'

// JSON has no Infinity or NaN: `JSON.parse('1e309')` is Infinity, every encoder turns it into
// null or throws. So core refuses them once, for every trigger, on the way in and on the way out.
const registry = createRegistry({
  stats: action(
    {
      params: Type.Object({ value: Type.Integer() }),
      result: Type.Object({ value: Type.Integer() }),
    },
    ({ value }) => ({ value }),
  ),
  mean: action(
    { params: Type.Object({ data: Type.Array(Type.Number()) }), result: Type.Number() },
    ({ data }) => data.reduce((sum, value) => sum + value, 0) / data.length,
  ),
  anything: action({ params: Type.Object({ blob: Type.Unknown() }) }, () => ({
    nested: [{ ratio: 0 / 0 }],
  })),
})

const invalidParams = (path: string, got: string) => ({
  ok: false,
  error: expect.objectContaining({
    code: 'INVALID_PARAMS',
    status: 400,
    issues: [{ path, message: `must be a finite number (got ${got})`, keyword: 'finite' }],
  }) as unknown,
})

describe('non-finite numbers', () => {
  const invoker = createInvoker(registry)

  it('are refused in JSON input, typed or not', async () => {
    expect(await invoker.invoke({ action: 'stats', input: JSON.parse('{"value":1e309}') })).toEqual(
      invalidParams('/value', 'Infinity'),
    )
    expect(
      await invoker.invoke({ action: 'mean', input: JSON.parse('{"data":[-1e309,1e309]}') }),
    ).toEqual(invalidParams('/data/0', '-Infinity'))
    expect(await invoker.invoke({ action: 'anything', input: { blob: { deep: [NaN] } } })).toEqual(
      invalidParams('/blob/deep/0', 'NaN'),
    )
  })

  it('are refused after a query string or CLI flag is coerced', async () => {
    for (const raw of ['1e309', 'Infinity', '-Infinity']) {
      const outcome = await invoker.invoke({
        action: 'stats',
        input: { value: raw },
        inputSource: 'strings',
      })
      expect(outcome).toEqual(
        invalidParams('/value', raw.startsWith('-') ? '-Infinity' : 'Infinity'),
      )
    }
    expect(
      await invoker.invoke({
        action: 'mean',
        input: { data: ['1', '1e400'] },
        inputSource: 'strings',
      }),
    ).toEqual(invalidParams('/data/1', 'Infinity'))
  })

  it('still accept the largest finite numbers', async () => {
    expect(
      await invoker.invoke({ action: 'mean', input: { data: [1.7976931348623157e308] } }),
    ).toEqual({ ok: true, result: 1.7976931348623157e308 })
  })

  for (const validateResult of [true, false]) {
    it(`in a result are INVALID_RESULT, logged with the request id (validateResult ${String(validateResult)})`, async () => {
      const log = recordingLogger()
      const checked = createInvoker(registry, { validateResult, log })
      const outcome = await checked.invoke({
        action: 'mean',
        input: { data: [Number.MAX_VALUE, Number.MAX_VALUE] },
        requestId: 'req-inf',
      })
      expect(outcome).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'INVALID_RESULT', status: 500, expose: false }),
      })
      expect(log.entries).toEqual([
        expect.objectContaining({
          level: 'error',
          obj: expect.objectContaining({ code: 'INVALID_RESULT', requestId: 'req-inf' }),
        }),
      ])
      const untyped = await checked.invoke({ action: 'anything', input: { blob: 1 } })
      expect(untyped).toMatchObject({
        ok: false,
        error: { code: 'INVALID_RESULT', issues: [{ path: '/nested/0/ratio' }] },
      })
    })
  }
})
