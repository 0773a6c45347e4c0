import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export interface AppInfo {
  readonly title?: string
  readonly version?: string
  readonly description?: string
  readonly license?: { readonly name: string; readonly identifier?: string }
  readonly contact?: { readonly name?: string; readonly email?: string; readonly url?: string }
}

type Json = Record<string, unknown>

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined

/**
 * npm's `license`: an SPDX expression is also OpenAPI 3.1's `identifier`; `UNLICENSED` and
 * `SEE LICENSE IN <file>` are names only.
 */
function licenseOf(pkg: Json): AppInfo['license'] {
  const name = text(pkg['license'])
  if (name === undefined) return undefined
  return name === 'UNLICENSED' || name.startsWith('SEE LICENSE')
    ? { name }
    : { name, identifier: name }
}

/** npm's `author` ("Name <email> (url)" or an object), else `bugs`, else `homepage`. */
function contactOf(pkg: Json): AppInfo['contact'] {
  const author = pkg['author']
  let contact: { name?: string; email?: string; url?: string } = {}
  if (typeof author === 'string') {
    const match = /^([^<(]*?)\s*(?:<([^>]+)>)?\s*(?:\(([^)]+)\))?$/.exec(author.trim())
    const [, name, email, url] = match ?? []
    contact = { name: text(name), email: text(email), url: text(url) }
  } else if (typeof author === 'object' && author !== null) {
    const { name, email, url } = author as Json
    contact = { name: text(name), email: text(email), url: text(url) }
  }
  const bugs = pkg['bugs']
  contact.url ??=
    text(typeof bugs === 'object' && bugs !== null ? (bugs as Json)['url'] : bugs) ??
    text(pkg['homepage'])
  const defined = Object.entries(contact).filter(([, value]) => value !== undefined)
  return defined.length === 0 ? undefined : Object.fromEntries(defined)
}

/**
 * The OpenAPI `info` defaults, from the app's own package.json (the nearest one above `cwd`):
 * the document then names the app rather than the framework, with no configuration.
 */
export function appInfoFrom(cwd: string): AppInfo {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as Json
        const pick = (key: string) => (typeof pkg[key] === 'string' ? { [key]: pkg[key] } : {})
        const license = licenseOf(pkg)
        const contact = contactOf(pkg)
        return {
          ...(typeof pkg['name'] === 'string' ? { title: pkg['name'] } : {}),
          ...pick('version'),
          ...pick('description'),
          ...(license === undefined ? {} : { license }),
          ...(contact === undefined ? {} : { contact }),
        }
      } catch {
        // A broken package.json is for npm to report; the document just keeps its defaults.
        return {}
      }
    }
    if (dirname(dir) === dir) return {}
  }
}
