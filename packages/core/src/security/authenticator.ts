import type { Authorization } from '../action/context.ts'

/**
 * Turns a bearer token into an Authorization, or throws an `UNAUTHENTICATED` ActionError
 * (see `unauthenticated()`). Plug your own into `createInvoker({ authenticator })` for tokens
 * that are not JWTs (opaque tokens checked against a database, say).
 */
export interface Authenticator {
  authenticate(token: string): Promise<Authorization>
}
