/**
 * How a refused caller may get in, in the terms of RFC 6750 §3. Core attaches one to the
 * UNAUTHENTICATED and FORBIDDEN errors it raises; a transport with a challenge header renders
 * it (HTTP's `WWW-Authenticate`, through `@servey/http`), so REST, GraphQL, pages and Lambda
 * send the same challenge without reading the problem's `data`.
 */
export interface AuthChallenge {
  readonly scheme: 'Bearer'
  /** RFC 6750 §3.1; absent when the request carried no credentials at all. */
  readonly error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope'
  /** Human-readable, for the developer (RFC 6750 `error_description`). */
  readonly description?: string
  /** For `insufficient_scope`: scopes that would be enough. */
  readonly scope?: readonly string[]
}
