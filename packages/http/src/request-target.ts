import { ActionError } from '@servey/core/adapter'

// A `.` or `..` segment, written out or percent-encoded (`%2e`), between separators: `/`, or
// `\` and their encodings, which some file servers and proxies decode into separators.
const DOT_SEGMENT = /(?:^|\/|\\|%2f|%5c)(?:\.|%2e){1,2}(?:$|\/|\\|%2f|%5c)/i

/**
 * Whether a request path holds a dot segment (RFC 3986 §3.3): `/../package.json`,
 * `/%2e%2e/x`, `/a/./b`. Clients normalise these away before sending (§5.2.4), so one that
 * arrives is a mistake or a traversal attempt; each layer below (a router, a static file
 * server, a proxy) would otherwise judge it its own way: a 404 here, a 403 there.
 */
export function hasDotSegment(path: string): boolean {
  // Most paths have neither a dot nor an escape: no regular expression for them.
  return (path.includes('.') || path.includes('%')) && DOT_SEGMENT.test(path)
}

/** The one answer to a path with a dot segment, on every route and every transport: 400. */
export function dotSegmentError(): ActionError {
  return new ActionError('BAD_REQUEST', "The path holds a '.' or '..' segment")
}

/**
 * Whether a path's percent-escapes decode as UTF-8 (`/items/%E0%A4%A` does not). A router
 * refuses such a path when it decodes a parameter; checked here too so that a transport whose
 * gateway matched the route already (API Gateway's resource template) answers the same 400.
 */
export function decodesCleanly(path: string): boolean {
  if (!path.includes('%')) return true
  try {
    decodeURIComponent(path)
    return true
  } catch {
    return false
  }
}

/** The one answer to a path that does not percent-decode, on every transport: 400. */
export function badUrlError(): ActionError {
  return new ActionError('BAD_REQUEST', 'The URL is not valid')
}
