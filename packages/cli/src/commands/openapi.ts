import { loadApp } from '../entry/load-app.ts'
import { resolveEntry } from '../entry/resolve-entry.ts'
import type { CliIo } from '../io.ts'
import { appInfoFrom } from '../server/app-info.ts'
import { writeOutput } from '../write-output.ts'

export interface OpenApiCommandOptions {
  /** A file path, or `-` for stdout. */
  readonly output: string
  readonly entry?: string
  readonly title?: string
  readonly apiVersion?: string
  readonly description?: string
}

/** `servey openapi`: the same document the server serves at /openapi.json, written to a file. */
export async function writeOpenApi(options: OpenApiCommandOptions, io: CliIo): Promise<number> {
  const entry = resolveEntry({ flag: options.entry, env: io.env, cwd: io.cwd })
  const { registry } = await loadApp(entry.path)
  const { createOpenApiDocument } = await import('@servey/http')
  const info = appInfoFrom(io.cwd)
  const document = createOpenApiDocument(registry, {
    ...info,
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.apiVersion === undefined ? {} : { version: options.apiVersion }),
    ...(options.description === undefined ? {} : { description: options.description }),
  })
  const text = `${JSON.stringify(document, null, 2)}\n`
  return writeOutput(options.output, text, io)
}
