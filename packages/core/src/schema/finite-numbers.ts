import type { ValidationIssue } from '../errors/action-error.ts'
import { pointerSegment } from './json-pointer.ts'

/**
 * The first number in a value that JSON cannot carry (Infinity, -Infinity, NaN), as a
 * validation issue; null when there is none.
 *
 * Why a walk on top of the schema: `JSON.parse('1e309')` is Infinity, and Ajv's coercion turns
 * the query string "1e309" (or "Infinity") into Infinity without checking it again, and an
 * untyped part of a schema (`Type.Unknown()`) accepts anything. Every serializer then turns it
 * into `null` or throws, so a non-finite number must stop here, once, for every trigger.
 *
 * Iterative, so a deeply nested body cannot overflow the stack, and cycle-safe, so an
 * in-process caller's cyclic object cannot hang the process.
 */
export function nonFiniteIssue(value: unknown): ValidationIssue | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : issueAt('', value)
  if (typeof value !== 'object' || value === null) return null
  // This runs on the params and the result of every call, and nearly always finds nothing:
  // a scan that builds no path and keeps no set answers that case; the walk below, which
  // names the path, runs only when it finds something or gives up (a cyclic or huge value).
  if (allFinite(value)) return null
  const stack: Array<{ node: object; path: string }> = [{ node: value, path: '' }]
  const seen = new Set<object>()
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: object; path: string }
    if (seen.has(node)) continue
    seen.add(node)
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        const item: unknown = node[index]
        if (typeof item === 'number') {
          if (!Number.isFinite(item)) return issueAt(`${path}/${index}`, item)
        } else if (typeof item === 'object' && item !== null) {
          stack.push({ node: item, path: `${path}/${index}` })
        }
      }
      continue
    }
    for (const key in node) {
      if (!Object.hasOwn(node, key)) continue
      const item: unknown = (node as Record<string, unknown>)[key]
      if (typeof item === 'number') {
        if (!Number.isFinite(item)) return issueAt(`${path}/${pointerSegment(key)}`, item)
      } else if (typeof item === 'object' && item !== null) {
        stack.push({ node: item, path: `${path}/${pointerSegment(key)}` })
      }
    }
  }
  return null
}

/** Nodes the quick scan visits before it leaves the value to the cycle-safe walk. */
const SCAN_BUDGET = 10_000

/** Deeper than this, the scan leaves the value to the walk (which keeps its own stack). */
const SCAN_DEPTH = 64

/** What is left of the current scan's budget (the scan is synchronous, so one counter does). */
let budget = 0

/**
 * True when no number in the value is non-finite; false when one is or the scan gave up (the
 * budget or the depth ran out). Recursive, not iterative like the walk: it runs twice per
 * call (params and result), and a stack array per run was its only allocation (113 bytes per
 * request in `pnpm bench alloc`); the depth bound keeps the recursion shallow.
 */
function allFinite(value: object): boolean {
  budget = SCAN_BUDGET
  return scan(value, 0)
}

function scan(node: object, depth: number): boolean {
  if (--budget < 0 || depth > SCAN_DEPTH) return false
  if (Array.isArray(node)) {
    for (let index = 0; index < node.length; index++) {
      const item: unknown = node[index]
      if (typeof item === 'number') {
        if (!Number.isFinite(item)) return false
      } else if (typeof item === 'object' && item !== null && !scan(item, depth + 1)) return false
    }
    return true
  }
  // A plain object (JSON's, a handler's literal) inherits nothing enumerable, so its keys
  // need no hasOwn check, which was half the scan's time on a 100-item result. Were
  // Object.prototype polluted, the scan would only answer false, and the walk above decides.
  const proto: unknown = Object.getPrototypeOf(node)
  const plain = proto === Object.prototype || proto === null
  for (const key in node) {
    if (!plain && !Object.hasOwn(node, key)) continue
    const item: unknown = (node as Record<string, unknown>)[key]
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) return false
    } else if (typeof item === 'object' && item !== null && !scan(item, depth + 1)) return false
  }
  return true
}

function issueAt(path: string, value: number): ValidationIssue {
  return {
    path: path === '' ? '/' : path,
    message: `must be a finite number (got ${String(value)})`,
    keyword: 'finite',
  }
}
