import { createHash } from 'node:crypto'

/**
 * JSON with object keys sorted at every depth, so `{a, b}` and `{b, a}` give one key.
 * Undefined properties are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  // Loops rather than map/filter/join: this runs on every call of a cached action, and the
  // intermediate arrays were most of what building a key allocated.
  if (Array.isArray(value)) {
    let out = '['
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ','
      out += canonicalJson(value[index])
    }
    return `${out}]`
  }
  const keys = Object.keys(value)
  if (keys.length > 1) keys.sort()
  let out = '{'
  for (const key of keys) {
    const item = (value as Record<string, unknown>)[key]
    if (item === undefined) continue
    if (out.length > 1) out += ','
    out += `${JSON.stringify(key)}:${canonicalJson(item)}`
  }
  return `${out}}`
}

/** A short, fixed-length digest: keys stay small however large the params are. */
export function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url')
}

/** `<prefix><action>:` — every entry of one action, for invalidation. */
export function actionPrefix(prefix: string, action: string): string {
  return `${prefix}${action}:`
}

/** `<prefix><action>:<params digest>:` — every caller's entry for these params. */
// Short params are their own key (readable in Redis, and no hash on the hot path); longer
// ones are digested so a key stays small however large the params are.
const INLINE_LIMIT = 128

export function paramsPrefix(
  prefix: string,
  action: string,
  params: unknown,
  parent?: unknown,
): string {
  const material = parent === undefined ? canonicalJson(params) : canonicalJson([params, parent])
  // A digest (base64url) never starts with '{' or '[', so the two forms cannot collide.
  const part = material.length <= INLINE_LIMIT ? material : digest(material)
  return `${actionPrefix(prefix, action)}${part}:`
}
/**
 * The full key. A result of a non-public action belongs to its caller: the subject is part of
 * the key, so one user's result is never served to another.
 */
export function cacheKey(
  prefix: string,
  action: string,
  params: unknown,
  parent: unknown,
  subject: string | null | undefined,
  shared: boolean,
): string {
  const who = shared ? '*' : subject == null ? '-' : `u=${encodeURIComponent(subject)}`
  return `${paramsPrefix(prefix, action, params, parent)}${who}`
}
