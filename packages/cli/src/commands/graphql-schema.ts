import { loadApp } from '../entry/load-app.ts'
import { resolveApp } from '../config/resolve-app.ts'
import type { CliIo } from '../io.ts'
import { writeOutput } from '../write-output.ts'

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
  const { entry } = await resolveApp({ flag: options.entry, env: io.env, cwd: io.cwd })
  const { registry } = await loadApp(entry.path)
  const { printGraphQLSchema } = await import('@servey/graphql')
  const text = printGraphQLSchema(registry)
  return writeOutput(options.output, text, io)
}
