import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as actions from './actions/index.ts'
import { eventually, startShowcase } from './channel-handlers.fixture.ts'

describe('showcase channel handlers (in-process jobs)', () => {
  let showcase: Awaited<ReturnType<typeof startShowcase>>
  beforeAll(async () => {
    showcase = await startShowcase(actions)
  })
  afterAll(() => showcase.close())

  const post = (url: string, payload: unknown, token?: string) =>
    showcase.app.inject({
      method: 'POST',
      url,
      payload: payload as object,
      ...(token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } }),
    })

  it('signups: a background-action channel welcomes each new user in a job, after its delay', async () => {
    const started = Date.now()
    const response = await post('/actions/sign-up', { email: 'ada@example.com', name: 'Ada' })
    expect(response.statusCode).toBe(200)
    expect(response.json().event).toMatch(/^\d+-\d+$/)
    // Not yet: the handler waits 200 ms.
    expect((await showcase.app.inject({ url: '/actions/welcomes-sent' })).json()).toEqual([])
    const sent = await eventually(async () => {
      const list = (await showcase.app.inject({ url: '/actions/welcomes-sent' })).json()
      return list.length > 0 ? list : undefined
    })
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)
    expect(sent).toEqual([{ email: 'ada@example.com', text: 'Welcome, Ada!' }])
  })

  it('signups: invalid input is refused before anything is published', async () => {
    const response = await post('/actions/sign-up', { email: 'not an email', name: 'X' })
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('INVALID_PARAMS')
  })

  it('orders: group 0 records, group 1 ships by the first matching filter, a hold stops group 1', async () => {
    const ada = await showcase.token('ada')
    await post('/actions/place-order', { id: 'o1', total: 30, express: true }, ada)
    await post('/actions/place-order', { id: 'o2', total: 30, express: false })
    await post('/actions/place-order', { id: 'o3', total: 5000, express: true })
    await post('/actions/place-order', { id: 'o4', total: 5000, express: false }, ada)
    const journal = await eventually(async () => {
      const list = (await showcase.app.inject({ url: '/actions/order-journal' })).json()
      return list.length >= 7 ? (list as string[]) : undefined
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect((await showcase.app.inject({ url: '/actions/order-journal' })).json()).toEqual(journal)
    expect(journal).toEqual([
      'record_order:o1',
      'ship_express:o1',
      'record_order:o2',
      'ship_standard:o2',
      // Large and anonymous: held for review, which stops the shipping group.
      'hold_for_review:o3',
      // Large but signed in: the hold's filter does not match.
      'record_order:o4',
      'ship_standard:o4',
    ])
  })
})
