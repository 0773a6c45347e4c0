import { definitionErrors } from '../errors/definition-errors.ts'

const BRAND = Symbol.for('@servey/core/Redirect')

/** 301, 302, 303, 307 or 308. */
export type RedirectStatus = 301 | 302 | 303 | 307 | 308

/** Returned by a page action to send the browser elsewhere instead of rendering a template. */
export interface Redirect {
  readonly [BRAND]: true
  readonly location: string
  readonly status: RedirectStatus
}

const STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

/**
 * `return redirect('/login')`: the page answers 302 with `Location` (303 after a form post is
 * the usual choice: `redirect(url, 303)`). Branded, so it is recognised whatever the result
 * schema says; declare the result as `Type.Unsafe<Redirect>()` or leave it out.
 */
export function redirect(location: string, status: RedirectStatus = 302): Redirect {
  if (!STATUSES.has(status)) throw definitionErrors.SERVEY_ERR_PAGE_REDIRECT_INVALID(String(status))
  return Object.freeze({ [BRAND]: true as const, location, status })
}

export function isRedirect(value: unknown): value is Redirect {
  return (
    typeof value === 'object' && value !== null && (value as { [BRAND]?: true })[BRAND] === true
  )
}
