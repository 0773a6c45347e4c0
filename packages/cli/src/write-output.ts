import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { cliErrors } from './errors.ts'
import type { CliIo } from './io.ts'

/** Writes a generated document to `--output` (`-` for stdout); a write failure is coded. */
export async function writeOutput(output: string, text: string, io: CliIo): Promise<number> {
  if (output === '-') {
    io.stdout.write(text)
    return 0
  }
  const path = resolve(io.cwd, output)
  try {
    await writeFile(path, text)
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    throw cliErrors.SERVEY_ERR_CLI_OUTPUT_FAILED(path, reason)
  }
  io.stderr.write(`Wrote ${path}\n`)
  return 0
}
