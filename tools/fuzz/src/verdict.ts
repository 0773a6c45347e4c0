import type { HttpAnswer } from './http-send.ts'

/** Why an answer breaks one of the goals; undefined when it keeps all of them. */
export type Fault = string | undefined

/** Codes that mean "the server failed", which bad input must never produce. */
export const SERVER_FAULT_CODES = new Set(['INTERNAL', 'INTERNAL_SERVER_ERROR', 'INVALID_RESULT'])

/** A stack frame, in any text a client or a terminal gets. */
export const STACK_FRAME = /\n\s+at [^\n]*(?:\(|\s)[^\s()]+:\d+:\d+\)?/

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return undefined
  }
}

interface GraphQLErrorLike {
  readonly message?: unknown
  readonly extensions?: { readonly code?: unknown; readonly status?: unknown }
}

/**
 * The goals for one HTTP answer to hostile input: no 5xx; no server-fault code in a problem
 * or in any GraphQL error (GraphQL answers field errors with 200, so the status alone would
 * miss them); no stack frame in the body; every 4xx names a stable code.
 */
export function judgeHttp(answer: HttpAnswer): Fault {
  if (answer.status >= 500) return `status ${answer.status}`
  if (STACK_FRAME.test(answer.body)) return 'stack trace in the body'
  const json = parse(answer.body) as
    { readonly code?: unknown; readonly errors?: readonly GraphQLErrorLike[] } | undefined
  if (json !== undefined && json !== null && typeof json === 'object') {
    if (typeof json.code === 'string' && SERVER_FAULT_CODES.has(json.code)) {
      return `code ${json.code}`
    }
    const answers = Array.isArray(json) ? (json as (typeof json)[]) : [json]
    for (const one of answers) {
      for (const error of Array.isArray(one?.errors) ? one.errors : []) {
        const code = error.extensions?.code
        const status = error.extensions?.status
        if (typeof code === 'string' && SERVER_FAULT_CODES.has(code)) return `GraphQL code ${code}`
        if (typeof status === 'number' && status >= 500) return `GraphQL error status ${status}`
        if (error.message === 'Unexpected error.') return 'GraphQL masked unexpected error'
      }
    }
  }
  // A browser asking for HTML may get an HTML error page; JSON answers must carry a code.
  const contentType = String(answer.headers['content-type'] ?? '')
  if (answer.status >= 400 && /json/.test(contentType)) {
    const hasCode =
      json !== undefined &&
      json !== null &&
      typeof json === 'object' &&
      (typeof (json as { code?: unknown }).code === 'string' ||
        Array.isArray((json as { errors?: unknown }).errors))
    // HEAD answers have no body by definition.
    if (!hasCode && answer.body !== '') return `${answer.status} without a stable code`
  }
  return undefined
}
