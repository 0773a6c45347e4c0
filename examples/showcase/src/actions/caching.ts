import { action, ttl, Type, WEB_GET } from '@servey/core'

const SlowResult = Type.Object({
  value: Type.String(),
  computed_at: Type.String({ description: 'When the handler really ran (ISO 8601)' }),
})

/**
 * Takes 3 seconds, then is cached for 30: the `Cache-Control: public, max-age=30` lets the
 * client reuse it, and the server cache answers every caller at once until it expires.
 */
export const slow_get_with_ttl = action(
  {
    triggers: [WEB_GET],
    params: Type.Object({ value: Type.String({ default: 'Hello' }) }),
    result: SlowResult,
    cache: ttl(30, { server: true }),
    description: 'Takes 3 seconds, then is cached for 30 seconds',
    examples: [
      {
        name: 'slow_then_cached',
        description: 'The first call takes 3 s; the next ones within 30 s are instant',
        params: { value: 'Hello' },
        // The result carries the time it was computed, which no example can predict.
        includeInTests: false,
      },
    ],
  },
  async ({ value }, { signal }) => {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, 3000)
      signal.addEventListener('abort', () => {
        clearTimeout(timer)
        reject(signal.reason as Error)
      })
    })
    return { value, computed_at: new Date().toISOString() }
  },
)

/**
 * Answers with a strong ETag of its body: a client that sends it back in `If-None-Match`
 * gets 304 with no body while the content is unchanged.
 */
export const etag_example = action(
  {
    triggers: [WEB_GET],
    params: Type.Object({ id: Type.Integer({ default: 1 }) }),
    result: Type.Object({ id: Type.Integer(), title: Type.String() }),
    cache: { etag: true },
    description: 'A document with an ETag; send it back in If-None-Match for a 304',
    examples: [
      { name: 'first_document', params: { id: 1 }, result: { id: 1, title: 'Document 1' } },
    ],
  },
  ({ id }) => ({ id, title: `Document ${id}` }),
)
