import { action, ActionError, Type, web, WEB_DELETE, WEB_GET, WEB_POST } from '@servey/core'

/**
 * Actions that exercise every input and output path of an HTTP adapter: typed query
 * parameters, a JSON body with a path template, an undeclared result field that must not leak,
 * a known error, a crash whose message must not leak, a timeout, and no result. Shared by the
 * tests of @servey/http and @servey/rest, so both read the same app.
 */
export const adapterTestActions = {
  say_hello: action(
    {
      description: 'Greet a user!',
      triggers: [WEB_GET],
      params: Type.Object({ name: Type.String() }),
      result: Type.String(),
      examples: [
        { name: 'greet_developer', params: { name: 'Developer' }, result: 'Hello Developer!' },
      ],
    },
    ({ name }) => `Hello ${name}!`,
  ),
  echo_query: action(
    {
      triggers: [WEB_GET],
      params: Type.Object({
        count: Type.Optional(Type.Integer()),
        ratio: Type.Optional(Type.Number()),
        flag: Type.Optional(Type.Boolean()),
        text: Type.Optional(Type.String()),
        tags: Type.Optional(Type.Array(Type.String())),
        nums: Type.Optional(Type.Array(Type.Integer())),
        item: Type.Optional(Type.Object({ name: Type.String(), qty: Type.Integer() })),
      }),
    },
    (params) => params,
  ),
  create_order: action(
    {
      triggers: [WEB_POST, web({ method: 'PUT', path: '/orders/:id' })],
      params: Type.Object({
        id: Type.Optional(Type.Integer()),
        item: Type.String(),
        qty: Type.Integer({ minimum: 1 }),
      }),
      result: Type.Object({ id: Type.Integer(), item: Type.String(), qty: Type.Integer() }),
      tags: ['orders'],
    },
    ({ id, item, qty }) => ({ id: id ?? 1, item, qty, internalNote: 'must not leak' }),
  ),
  forget: action(
    { triggers: [WEB_DELETE], params: Type.Object({ id: Type.Integer() }) },
    () => undefined,
  ),
  fails_known: action({ triggers: [WEB_POST] }, () => {
    throw new ActionError('CONFLICT', 'Order already shipped')
  }),
  crashes: action({ triggers: [WEB_POST] }, () => {
    throw new Error('database password is hunter2')
  }),
  sleepy: action(
    { triggers: [WEB_POST], timeout: 50 },
    (_params, { signal }) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, 5000)
        signal.addEventListener('abort', () => clearTimeout(timer))
      }),
  ),
}
