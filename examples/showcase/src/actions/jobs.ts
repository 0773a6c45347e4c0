import { action, Type, WEB_POST } from '@servey/core'
import { every } from '@servey/scheduler'

/**
 * A slow model: call it with `Prefer: respond-async` for a job handle, or with
 * `Servey-Callback-URL` to have the prediction sent to you when it is ready.
 */
/**
 * Values whose sum over a full series stays finite: unbounded, `[1.7e308, 1.7e308]` summed to
 * Infinity and the result failed validation as a 500 INVALID_RESULT (found by `pnpm fuzz`).
 */
const Sample = Type.Number({ minimum: -1e100, maximum: 1e100 })

export const predict = action(
  {
    triggers: [WEB_POST],
    params: Type.Object({ data: Type.Array(Sample, { minItems: 1, maxItems: 10_000 }) }),
    result: Type.Object({ mean: Type.Number(), next: Type.Number() }),
    description: 'Predict the next value of a series (slowly: about 500 ms)',
    timeout: '5s',
    examples: [{ name: 'linear', params: { data: [1, 2, 3] }, result: { mean: 2, next: 4 } }],
  },
  async ({ data }, { signal }) => {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, 500)
      signal.addEventListener('abort', () => {
        clearTimeout(timer)
        reject(signal.reason)
      })
    })
    const mean = data.reduce((sum, value) => sum + value, 0) / data.length
    const last = data[data.length - 1] as number
    const step = data.length > 1 ? last - (data[data.length - 2] as number) : 0
    return { mean, next: last + step }
  },
)

/** The fixed-rate action: runs every 10 s as the system, in one process or across a cluster. */
export const heartbeat = action(
  { triggers: [every('10s', { scopes: ['system'] })], description: 'Log that the app is alive' },
  (_params, { log, trigger }) => {
    log.info({ tick: (trigger as { tick?: string }).tick }, 'heartbeat')
  },
)
