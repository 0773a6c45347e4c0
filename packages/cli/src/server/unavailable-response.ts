import type { ServerResponse } from 'node:http'
import { ActionError, isActionError, isDefinitionError, toProblem } from '@servey/core'

/** The error on one line, without a stack: a problem's `detail` is read in a browser or curl. */
function summary(error: unknown): string {
  const coded = isDefinitionError(error) || isActionError(error)
  const text = error instanceof Error ? error.message : String(error)
  return (coded ? `${error.code}: ${text}` : text).replace(/\s*\n\s*/g, ' ')
}

/**
 * What the dev server answers while no version of the app has loaded yet: a 503 problem that
 * says why, so a browser or curl shows the error instead of a refused connection.
 */
export function sendUnavailable(response: ServerResponse, cause: unknown): void {
  const reason =
    cause === undefined ? 'The app is loading.' : `The app failed to load: ${summary(cause)}`
  const problem = toProblem(
    new ActionError('UNAVAILABLE', `${reason} Fix it and save; the server reloads.`),
  )
  response.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '1' })
  response.end(JSON.stringify(problem))
}
