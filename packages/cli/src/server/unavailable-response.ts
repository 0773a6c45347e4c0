import type { ServerResponse } from 'node:http'
import { ActionError, isActionError, isDefinitionError } from '@servey/core'
import { problemResponse } from '@servey/http'

/** The error on one line, without a stack: a problem's `detail` is read in a browser or curl. */
function summary(error: unknown): string {
  const coded = isDefinitionError(error) || isActionError(error)
  const text = error instanceof Error ? error.message : String(error)
  return (coded ? `${error.code}: ${text}` : text).replace(/\s*\n\s*/g, ' ')
}

/**
 * What the dev server answers while no version of the app has loaded yet: a 503 problem that
 * says why, so a browser or curl shows the error instead of a refused connection. Made by the
 * HTTP layer like every other problem the server sends.
 */
export function sendUnavailable(response: ServerResponse, cause: unknown): void {
  const reason =
    cause === undefined ? 'The app is loading.' : `The app failed to load: ${summary(cause)}`
  const error = new ActionError('UNAVAILABLE', `${reason} Fix it and save; the server reloads.`)
  const answer = problemResponse(error, {}, { 'retry-after': '1' })
  response.writeHead(answer.status, answer.headers)
  response.end(answer.body)
}
