/** How many actions (routes) the start-up apps declare, and where the last one answers. */
export const STARTUP_ROUTES = 100

export function startupPath(index: number): string {
  return `/actions/greet-${index}`
}

/** The request that proves every route is up: the last one declared. */
export const LAST_ROUTE_REQUEST = `${startupPath(STARTUP_ROUTES - 1)}?name=World`

/** The port the start-up servers listen on: the bench chooses it (they have no IPC to tell it). */
export function portFromEnv(): number {
  const port = Number(process.env['PORT'])
  if (!Number.isInteger(port) || port <= 0) throw new Error('PORT must be set to a port number')
  return port
}
