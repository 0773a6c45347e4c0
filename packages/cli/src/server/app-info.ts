import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export interface AppInfo {
  readonly title?: string
  readonly version?: string
  readonly description?: string
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
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
        const pick = (key: string) => (typeof pkg[key] === 'string' ? { [key]: pkg[key] } : {})
        return {
          ...(typeof pkg['name'] === 'string' ? { title: pkg['name'] } : {}),
          ...pick('version'),
          ...pick('description'),
        }
      } catch {
        // A broken package.json is for npm to report; the document just keeps its defaults.
        return {}
      }
    }
    if (dirname(dir) === dir) return {}
  }
}
