import type { ValidationIssue } from '../errors/action-error.ts'
import { pointerSegment } from './json-pointer.ts'

// JSON's number grammar (RFC 8259 §6): the only text that string input may turn into a number.
const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/

/** A string found in string input, by where it sits. */
interface Loose {
  readonly path: readonly (string | number)[]
  readonly text: string
}

/**
 * Ajv coerces a string to a number when `text == +text`, which is JavaScript's number syntax,
 * not a decimal number: `0x10` becomes 16, `0b11` 3, ` 5` (a query's `%205`) 5, a lone space
 * 0, `+5` and `.5` and `5.` numbers too. A caller who sent those did not write a number, so
 * they must not silently become one. Ajv has no hook for its coercion, so the strings it would
 * read loosely are noted before it runs and looked up after: one that ended up a number is an
 * issue. Most input has none, and then this costs one walk over the strings.
 */
export function looseNumberStrings(value: unknown): readonly Loose[] {
  const found: Loose[] = []
  visitStrings(value, [], 0, found)
  return found
}

/**
 * A function of the module, not a closure made per call, and one path array mutated in place
 * and copied only for a string it reports: this runs on every query-string request.
 */
function visitStrings(node: unknown, path: (string | number)[], depth: number, found: Loose[]) {
  if (typeof node === 'string') {
    if (node !== '' && !Number.isNaN(Number(node)) && !DECIMAL.test(node)) {
      found.push({ path: [...path], text: node })
    }
    return
  }
  // String input is a parsed query or a set of flags: shallow, and never cyclic. The bound
  // keeps an in-process caller's odd object from costing more than it should.
  if (typeof node !== 'object' || node === null || depth > 32) return
  if (Array.isArray(node)) {
    for (let index = 0; index < node.length; index++) {
      path.push(index)
      visitStrings(node[index], path, depth + 1, found)
      path.pop()
    }
    return
  }
  for (const key in node) {
    if (Object.hasOwn(node, key)) {
      path.push(key)
      visitStrings((node as Record<string, unknown>)[key], path, depth + 1, found)
      path.pop()
    }
  }
}

/**
 * The first of `loose` that coercion turned into a number, as an issue; null when none was.
 * A string coerced into an array (`tags=0x10` for a list of numbers) is looked up in it.
 */
export function looseNumberIssue(
  coerced: unknown,
  loose: readonly Loose[],
): ValidationIssue | null {
  for (const { path, text } of loose) {
    let node: unknown = coerced
    for (const segment of path) {
      if (typeof node !== 'object' || node === null) break
      node = (node as Record<string | number, unknown>)[segment]
    }
    if (Array.isArray(node) && node.length === 1) node = node[0]
    if (typeof node === 'number') {
      const pointer = path.map((segment) => `/${pointerSegment(String(segment))}`).join('')
      return {
        path: pointer === '' ? '/' : pointer,
        message: `must be a decimal number (got ${JSON.stringify(text)})`,
        keyword: 'decimal',
      }
    }
  }
  return null
}
