import { httpStatusOf, toProblem, type ActionError, type AuthChallenge } from '@servey/core/adapter'
import type { HttpResponse } from './http-message.ts'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8'

export interface ProblemResponseOptions {
  readonly requestId?: string | undefined
  /** Dev mode: masked messages and stacks are shown. */
  readonly dev?: boolean | undefined
  /** The `realm` of `WWW-Authenticate` challenges. Default `servey`. */
  readonly realm?: string | undefined
}

// RFC 6750 §3: values of `error_description` and `scope` allow printable ASCII but `"` and `\`.
const quoted = (value: string): string => `"${value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '')}"`

/** A typed challenge from core as a `WWW-Authenticate` value (RFC 6750 §3). */
export function formatChallenge(challenge: AuthChallenge, realm = 'servey'): string {
  let header = `${challenge.scheme} realm=${quoted(realm)}`
  if (challenge.error !== undefined) header += `, error=${quoted(challenge.error)}`
  if (challenge.description !== undefined) {
    header += `, error_description=${quoted(challenge.description)}`
  }
  if (challenge.scope !== undefined) header += `, scope=${quoted(challenge.scope.join(' '))}`
  return header
}

/**
 * An error as RFC 9457 problem details: the status from core's transport table, the body from
 * `toProblem`, and the `WWW-Authenticate` challenge when core attached one. Every HTTP answer
 * that is an error is made here.
 */
export function problemResponse(
  error: ActionError,
  options: ProblemResponseOptions = {},
  extraHeaders?: Readonly<Record<string, string>>,
): HttpResponse {
  const headers: Record<string, string> = { ...extraHeaders, 'content-type': PROBLEM_CONTENT_TYPE }
  if (error.challenge !== undefined) {
    headers['www-authenticate'] = formatChallenge(error.challenge, options.realm)
  }
  const problem = toProblem(error, {
    ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
    ...(options.dev === true ? { dev: true } : {}),
  })
  return { status: httpStatusOf(error), headers, body: JSON.stringify(problem) }
}
