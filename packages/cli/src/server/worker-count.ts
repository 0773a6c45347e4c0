import { availableParallelism } from 'node:os'
import { cliErrors } from '../errors.ts'

/**
 * How many server processes `servey start` runs: `--workers`, else `SERVEY_WORKERS`, else
 * `auto`. `auto` is one per core when REDIS_URL is set and one otherwise: without Redis, jobs,
 * job handles, the cache and channel fan-out live in each process's memory, so a second
 * process would answer `GET /jobs/<id>` with 404 for the first one's jobs and miss its events.
 * Asking for more than one without Redis is therefore refused rather than half working.
 */
export function workerCountFrom(flag: string | undefined, env: NodeJS.ProcessEnv): number {
  const fromEnv = env['SERVEY_WORKERS']
  const [raw, source] =
    flag !== undefined
      ? [flag, '--workers']
      : fromEnv !== undefined && fromEnv.trim() !== ''
        ? [fromEnv, 'SERVEY_WORKERS']
        : ['auto', 'the default']
  const redis = env['REDIS_URL'] !== undefined && env['REDIS_URL'] !== ''
  const value = raw.trim()
  if (value === 'auto') return redis ? availableParallelism() : 1
  const count = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(count) || count < 1 || count > 1024) {
    throw cliErrors.SERVEY_ERR_CLI_WORKERS_INVALID(raw, source)
  }
  if (count > 1 && !redis) throw cliErrors.SERVEY_ERR_CLI_WORKERS_NEED_REDIS(String(count))
  return count
}
