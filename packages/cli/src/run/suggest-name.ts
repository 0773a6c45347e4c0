import { closest, distance } from 'fastest-levenshtein'

/**
 * The known name closest to a mistyped one, if it is close enough to be what was meant: within
 * a third of the typed name's length, so `say_helo` finds `say_hello` but `x` finds nothing.
 */
export function suggestName(typed: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined
  const candidate = closest(typed, known as string[])
  const limit = Math.max(2, Math.ceil(typed.length / 3))
  return distance(typed, candidate) <= limit ? candidate : undefined
}
