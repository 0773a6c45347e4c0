import { cliErrors } from '../errors.ts'

/**
 * A whole number above 0 read from the variable `name` (a count of bytes, characters, levels),
 * else SERVEY_ERR_CONFIG_INVALID naming the variable.
 */
export function positiveIntegerFromEnv(name: string, value: string, unit: string): number {
  const limit = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(limit) || limit <= 0) {
    throw cliErrors.SERVEY_ERR_CONFIG_INVALID(
      name,
      'the environment',
      `a whole number of ${unit} above 0`,
      JSON.stringify(value),
    )
  }
  return limit
}
