import { describe, expect, it } from 'vitest'
import { Type } from 'typebox'
import type { Authorization } from '../action/context.ts'
import { ActionError } from '../errors/action-error.ts'
import { createRegistry } from '../registry/registry.ts'
import { anyScope } from '../security/access-policy.ts'
import { parseClientFrame } from './client-frame.ts'
import { channel } from './define-channel.ts'
import { serializeEnvelope, serializeErrorFrame } from './frames.ts'
import { shouldDeliver } from './should-deliver.ts'
import { offeredProtocols, upgradeAuthorization } from './websocket-credentials.ts'

const user = (subject: string, scopes: string[] = [], expiresAt?: Date): Authorization => ({
  subject,
  scopes,
  claims: { sub: subject },
  ...(expiresAt === undefined ? {} : { expiresAt }),
})

// The protocol every websocket transport speaks (the Fastify server and API Gateway on Lambda).
describe('websocket protocol', () => {
  it('parses the three client frames and refuses every other shape with a code', () => {
    expect(parseClientFrame('{"type":"auth","token":"t"}')).toEqual({ type: 'auth', token: 't' })
    expect(parseClientFrame('{"type":"subscribe","channel":"news"}')).toEqual({
      type: 'subscribe',
      channel: 'news',
    })
    expect(parseClientFrame('{"type":"subscribe","channel":"news","since":"1-0"}')).toEqual({
      type: 'subscribe',
      channel: 'news',
      since: '1-0',
    })
    expect(parseClientFrame('{"type":"unsubscribe","channel":"news"}')).toEqual({
      type: 'unsubscribe',
      channel: 'news',
    })
    const code = (text: string) => {
      try {
        parseClientFrame(text)
      } catch (error) {
        return (error as ActionError).code
      }
      return 'parsed'
    }
    expect(code('{nope')).toBe('MALFORMED_JSON')
    expect(code('[]')).toBe('BAD_REQUEST')
    expect(code('{"type":"publish"}')).toBe('BAD_REQUEST')
    expect(code('{"type":"auth"}')).toBe('BAD_REQUEST')
    expect(code('{"type":"subscribe"}')).toBe('BAD_REQUEST')
    expect(code('{"type":"subscribe","channel":"a","since":"yesterday"}')).toBe('BAD_REQUEST')
  })

  it('refuses a type of any shape or depth with BAD_REQUEST, naming it briefly', () => {
    // Found by the fuzz harness: a 20,000-level array as the type (under 64 KiB) overflowed
    // the stack while the refusal wrote it out, and the client got INTERNAL.
    const deep = `{"type":${'['.repeat(20_000)}${']'.repeat(20_000)}}`
    const refusal = (text: string) => {
      try {
        parseClientFrame(text)
      } catch (error) {
        return error as ActionError
      }
      throw new Error(`parsed: ${text.slice(0, 40)}`)
    }
    expect(refusal(deep)).toMatchObject({ code: 'BAD_REQUEST' })
    expect(refusal(deep).message).toContain('Unknown frame type an array')
    expect(refusal('{"type":{"a":1}}').message).toContain('Unknown frame type an object')
    expect(refusal('{"type":null}').message).toContain('Unknown frame type null')
    expect(refusal('{}').message).toContain('Unknown frame type undefined')
    expect(refusal('{"type":1e300}').message).toContain('Unknown frame type 1e+300')
    expect(refusal(`{"type":"${'x'.repeat(500)}"}`).message).toContain(`"${'x'.repeat(50)}"`)
    expect(refusal(`{"type":"${'x'.repeat(500)}"}`).message).not.toContain('x'.repeat(51))
  })

  it('takes the Authorization header, else a bearer subprotocol token', () => {
    expect(upgradeAuthorization('Bearer a', ['bearer', 'b'])).toBe('Bearer a')
    expect(upgradeAuthorization(undefined, offeredProtocols('bearer, tok'))).toBe('Bearer tok')
    expect(upgradeAuthorization(undefined, offeredProtocols(['chat', 'bearer,x']))).toBe('Bearer x')
    expect(upgradeAuthorization('', offeredProtocols('bearer'))).toBeUndefined()
    expect(upgradeAuthorization(undefined, [])).toBeUndefined()
  })

  it('serializes envelopes without `to`, and error frames without internals', () => {
    expect(serializeEnvelope({ channel: 'c', id: '1-0', event: 'hi', to: 'x' })).toBe(
      '{"channel":"c","id":"1-0","event":"hi"}',
    )
    expect(JSON.parse(serializeErrorFrame(new ActionError('FORBIDDEN', 'no'), 'c'))).toEqual({
      type: 'error',
      code: 'FORBIDDEN',
      detail: 'no',
      channel: 'c',
    })
    const internal = JSON.parse(serializeErrorFrame(new ActionError('INTERNAL', 'db password x')))
    expect(internal.code).toBe('INTERNAL')
    expect(internal.detail).not.toContain('password')
  })

  it('shouldDeliver applies `to`, access again (expiry, scopes) and the filter, never throwing', async () => {
    const inbox = channel('inbox', {
      payload: Type.Object({ to: Type.String() }),
      access: anyScope('read'),
      filter: (event, subscriber) => {
        if (event.to === 'boom') throw new Error('filter bug')
        return event.to === subscriber?.subject
      },
    })
    const registered = createRegistry({ inbox }).channel('inbox')!
    const envelope = { channel: 'inbox', id: '1-0', event: { to: 'ann' } }
    const ann = user('ann', ['read'])
    expect(await shouldDeliver(registered, envelope, { authorization: ann })).toBe(true)
    expect(
      await shouldDeliver(registered, envelope, { authorization: user('bob', ['read']) }),
    ).toBe(false)
    expect(await shouldDeliver(registered, envelope, { authorization: user('ann') })).toBe(false)
    expect(await shouldDeliver(registered, envelope, { authorization: null })).toBe(false)
    const expired = user('ann', ['read'], new Date(Date.now() - 1000))
    expect(await shouldDeliver(registered, envelope, { authorization: expired })).toBe(false)
    const direct = { ...envelope, to: 'conn-1' }
    expect(
      await shouldDeliver(registered, direct, { authorization: ann, connectionId: 'conn-2' }),
    ).toBe(false)
    expect(
      await shouldDeliver(registered, direct, { authorization: ann, connectionId: 'conn-1' }),
    ).toBe(true)
    const errors: unknown[] = []
    const log = { error: (...args: unknown[]) => errors.push(args) } as never
    const boom = { ...envelope, event: { to: 'boom' } }
    expect(await shouldDeliver(registered, boom, { authorization: ann }, log)).toBe(false)
    expect(errors).toHaveLength(1)
  })
})
