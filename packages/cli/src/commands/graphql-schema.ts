import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { loadApp } from '../entry/load-app.ts'
import { resolveEntry } from '../entry/resolve-entry.ts'
import { cliErrors } from '../errors.ts'
import type { CliIo } from '../io.ts'

export interface GraphQLSchemaCommandOptions {
  /** A file path, or `-` for stdout. */
  readonly output: string
  readonly entry?: string
}

/** `servey graphql-schema`: the SDL of the schema the servers serve at /graphql. */
export async function writeGraphQLSchema(
  options: GraphQLSchemaCommandOptions,
  io: CliIo,
): Promise<number> {
  const entry = resolveEntry({ flag: options.entry, env: io.env, cwd: io.cwd })
  const { registry } = await loadApp(entry.path)
  const { printGraphQLSchema } = await import('@servey/graphql')
  const text = printGraphQLSchema(registry)
  if (options.output === '-') {
    io.stdout.write(text)
    return 0
  }
  const path = resolve(io.cwd, options.output)
  try {
    await writeFile(path, text)
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    throw cliErrors.SERVEY_ERR_CLI_OUTPUT_FAILED(path, reason)
  }
  io.stderr.write(`Wrote ${path}\n`)
  return 0
}
