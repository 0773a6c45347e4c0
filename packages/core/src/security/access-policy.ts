import type { Authorization } from '../action/context.ts'

export type AccessPredicate<TParams = unknown> = (
  authorization: Authorization | null,
  params: TParams,
) => boolean | Promise<boolean>

/**
 * Who may call an action. Declared once on the action; core's pipeline enforces it the same
 * way on every trigger. Policies are plain data (except a custom predicate) so documents can
 * describe them: OpenAPI security requirements, GraphQL descriptions, `servey actions`.
 */
export type AccessPolicy<TParams = unknown> = ScopePolicy | CustomPolicy<TParams>

/** The policies that need nothing but the caller's scopes; they fit an action of any params. */
export type ScopePolicy =
  | { readonly kind: 'allow_all' }
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'scopes'; readonly mode: 'any' | 'all'; readonly scopes: readonly string[] }

export interface CustomPolicy<TParams = unknown> {
  readonly kind: 'custom'
  readonly description: string
  readonly check: AccessPredicate<TParams>
}

/** Everyone, anonymous callers included (the default). */
export const allowAll: ScopePolicy = Object.freeze({ kind: 'allow_all' })

/** Any caller with a valid token. */
export const authenticated: ScopePolicy = Object.freeze({ kind: 'authenticated' })

/** Callers holding at least one of these scopes. */
export function anyScope(...scopes: string[]): ScopePolicy {
  return Object.freeze({ kind: 'scopes', mode: 'any', scopes: Object.freeze([...scopes]) })
}

/** Callers holding every one of these scopes. */
export function allScopes(...scopes: string[]): ScopePolicy {
  return Object.freeze({ kind: 'scopes', mode: 'all', scopes: Object.freeze([...scopes]) })
}

/**
 * An app-specific rule that sees the caller and the validated params, e.g. "only the owner
 * of this order". Runs after validation; anonymous callers get 401, others 403 when it says no.
 */
export function custom<TParams = unknown>(
  check: AccessPredicate<TParams>,
  description = 'custom rule',
): CustomPolicy<TParams> {
  return Object.freeze({ kind: 'custom', description, check })
}

/** One line for listings: `anyone`, `authenticated`, `any of: root, admin`. */
export function describeAccess(
  policy: ScopePolicy | Pick<CustomPolicy, 'kind' | 'description'>,
): string {
  switch (policy.kind) {
    case 'allow_all':
      return 'anyone'
    case 'authenticated':
      return 'authenticated'
    case 'scopes':
      return `${policy.mode === 'any' ? 'any of' : 'all of'}: ${policy.scopes.join(', ')}`
    case 'custom':
      return policy.description
  }
}
