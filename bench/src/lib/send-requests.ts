import autocannon from 'autocannon'
import type { BenchRoute } from '../rest/routes.ts'

/**
 * Exactly `amount` requests of `route` over `connections` connections; rejects if any answer is
 * not the route's expected status. For suites that count per request (allocation, instructions),
 * where the number sent must be known, not a duration.
 */
export function sendRequests(
  url: string,
  route: BenchRoute,
  amount: number,
  connections: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let unexpected = 0
    autocannon(
      {
        url: url + route.path,
        method: route.method,
        connections,
        amount,
        headers: route.headers ?? {},
        ...(route.body === undefined ? {} : { body: route.body }),
      },
      (error, result) => {
        if (error !== null && error !== undefined) reject(error)
        else if (unexpected > 0 || result.errors > 0) {
          reject(
            new Error(`${route.label}: ${unexpected} unexpected answers, ${result.errors} errors`),
          )
        } else resolve()
      },
    ).on('response', (_client, statusCode) => {
      const ok =
        route.expectedStatus === undefined
          ? statusCode >= 200 && statusCode < 300
          : statusCode === route.expectedStatus
      if (!ok) unexpected++
    })
  })
}
