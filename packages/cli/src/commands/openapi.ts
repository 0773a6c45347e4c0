import { loadApp } from '../entry/load-app.ts'
import { resolveApp } from '../config/resolve-app.ts'
import type { CliIo } from '../io.ts'
import { cliErrors } from '../errors.ts'
import { appInfoFrom } from '../server/app-info.ts'
import { writeOutput } from '../write-output.ts'

export interface OpenApiCommandOptions {
  /** A file path, or `-` for stdout. */
  readonly output: string
  readonly entry?: string
  readonly title?: string
  readonly apiVersion?: string
  readonly description?: string
  /** `servers` URLs; default the relative `/`. */
  readonly server?: readonly string[]
}

/**
 * A `servers` URL as OpenAPI linters accept it: an absolute http(s) URL or a path, with no
 * trailing slash (Redocly's no-server-trailing-slash), no query, fragment or credentials.
 */
export function serverUrlOf(value: string): string {
  const invalid = () => cliErrors.SERVEY_ERR_CLI_SERVER_URL_INVALID(value)
  let url: URL
  try {
    url = new URL(value, 'http://relative.invalid')
  } catch {
    throw invalid()
  }
  const relative = value.startsWith('/') && !value.startsWith('//')
  if (!relative && !/^https?:\/\//i.test(value)) throw invalid()
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
    throw invalid()
  const path = url.pathname.replace(/\/+$/, '')
  if (relative) return path === '' ? '/' : path
  return `${url.protocol}//${url.host}${path}`
}

/** `servey openapi`: the same document the server serves at /openapi.json, written to a file. */
export async function writeOpenApi(options: OpenApiCommandOptions, io: CliIo): Promise<number> {
  const servers = (options.server ?? []).map((url) => ({ url: serverUrlOf(url) }))
  const { entry } = await resolveApp({ flag: options.entry, env: io.env, cwd: io.cwd })
  const { registry } = await loadApp(entry.path)
  const { createOpenApiDocument } = await import('@servey/http')
  const info = appInfoFrom(io.cwd)
  const document = createOpenApiDocument(registry, {
    ...info,
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.apiVersion === undefined ? {} : { version: options.apiVersion }),
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(servers.length === 0 ? {} : { servers }),
  })
  const text = `${JSON.stringify(document, null, 2)}\n`
  return writeOutput(options.output, text, io)
}
