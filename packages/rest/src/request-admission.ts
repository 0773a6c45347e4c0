import { REQUEST_ID_HEADER } from '@servey/http'
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  RouteOptions,
} from 'fastify'
import type { LoadShedder } from './load-shedding.ts'

/**
 * What every request passes before its route's work: its id is echoed as `x-request-id`, so a
 * client can quote it and it matches the log lines (a 503 of load shedding too), and with load
 * shedding on it may be refused. False when it was answered here: stop there.
 */
export type RequestAdmission = (request: FastifyRequest, reply: FastifyReply) => boolean

/** Admission that echoes the request id and, given a shedder, refuses while the loop lags. */
export function createAdmission(shed?: LoadShedder): RequestAdmission {
  return shed === undefined
    ? (request, reply) => {
        reply.header(REQUEST_ID_HEADER, request.id)
        return true
      }
    : (request, reply) => {
        reply.header(REQUEST_ID_HEADER, request.id)
        return !shed(request, reply)
      }
}

/** Admission as a sync `onRequest` hook, for the routes that do not call it themselves. */
export function admissionHook(admit: RequestAdmission): onRequestHookHandler {
  return (request, reply, done) => {
    if (admit(request, reply)) done()
  }
}

/**
 * Marks a route whose handler calls the admission itself (`config: { [ADMITS_ITSELF]: true }`):
 * the action routes, the hot path. Fastify runs a route's `onRequest` hooks through a hook
 * runner that costs every request a few closures; called from the handler, admission costs one
 * function call.
 */
export const ADMITS_ITSELF = 'serveyAdmitsItself'

/**
 * Gives every route registered from now on, on this server and in every plugin below it
 * (GraphQL, channels, the docs, a user's own routes), the admission as an `onRequest` hook of
 * its own, except the routes marked `ADMITS_ITSELF`. Route hooks rather than one server-wide
 * `onRequest` hook, which every route, the action routes included, would pay for. Add it before
 * anything registers routes. Not-found and error answers come from no route: their handlers
 * admit or name the request themselves. A plugin's server-wide `onRequest` hooks run before any
 * route's: where there are some (`cors`, `helmet`, `plugins`), `createServer` uses one
 * server-wide admission hook instead, added first. A plugin registered through `extend` is
 * unknown when that choice is made, so its own server-wide hooks run before admission.
 */
export function admitEveryRoute(app: FastifyInstance, admit: RequestAdmission): void {
  addRouteHook(app, 'first', admissionHook(admit), (route) => {
    const config = route.config as Record<string, unknown> | undefined
    return config?.[ADMITS_ITSELF] !== true
  })
}

/**
 * Adds `hook` to the `onRequest` hooks of every route registered from now on in `app`'s scope
 * (for which `applies` holds), first or last among the route's own.
 */
export function addRouteHook(
  app: FastifyInstance,
  position: 'first' | 'last',
  hook: onRequestHookHandler,
  applies: (route: RouteOptions) => boolean = () => true,
): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!applies(route)) return
    const own = route.onRequest
    const list = own === undefined ? [] : Array.isArray(own) ? own : [own]
    route.onRequest = position === 'first' ? [hook, ...list] : [...list, hook]
  })
}
