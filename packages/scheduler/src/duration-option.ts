import { toMilliseconds, type Duration } from '@servey/core'

/** A duration option in milliseconds, `fallback` when not given; a bad one throws, naming `what`. */
export function durationOption(
  value: Duration | undefined,
  fallback: number,
  what: string,
): number {
  return value === undefined ? fallback : toMilliseconds(value, what)
}
