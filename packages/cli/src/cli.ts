import { exitCodeOf, isActionError } from '@servey/core'
import { CommanderError } from 'commander'
import { processIo, type CliIo } from './io.ts'
import { createProgram } from './program.ts'
import { formatError } from './report-error.ts'

/** Exit code for a usage mistake (unknown option, missing value), as for bad input. */
const USAGE_EXIT_CODE = 2

async function unknownCommand(name: string, known: readonly string[]): Promise<string> {
  const { suggestName } = await import('./run/suggest-name.ts')
  const suggestion = suggestName(name, known)
  const hint = suggestion === undefined ? '' : ` (Did you mean ${suggestion}?)`
  return `error: unknown command '${name}'${hint}\n(add --help for usage)\n`
}

/**
 * Run the `servey` command line and return its exit code. Every failure becomes one message on
 * stderr: commander's for usage mistakes, `CODE: message` for coded errors, a stack only for
 * the unexpected.
 */
export async function runCli(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0
  const program = createProgram(io, (code) => {
    exitCode = code
  })
  const first = args[0]
  const known = program.commands.map((command) => command.name())
  // The default command (dev) would otherwise swallow a mistyped command as a stray argument.
  if (first !== undefined && !first.startsWith('-') && first !== 'help' && !known.includes(first)) {
    io.stderr.write(await unknownCommand(first, known))
    return USAGE_EXIT_CODE
  }
  try {
    await program.parseAsync([...args], { from: 'user' })
    return exitCode
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_EXIT_CODE
    io.stderr.write(`${formatError(error)}\n`)
    return isActionError(error) ? exitCodeOf(error) : 1
  }
}
