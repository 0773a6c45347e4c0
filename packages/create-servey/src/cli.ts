import { basename, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { CANCELLED, terminalQuestions, type Questions } from './ask.ts'
import { CreateServeyError, isCreateServeyError } from './errors.ts'
import { requiredPackages, type PackageSource } from './files/package-file.ts'
import { processIo, type CreateIo } from './io.ts'
import { scaffold } from './scaffold.ts'
import { checkTarballs, findTarballs } from './tarballs.ts'
import {
  DEFAULT_TRIGGERS,
  isTriggerChoice,
  TRIGGER_CHOICES,
  type TriggerChoice,
} from './triggers.ts'
import { frameworkVersion } from './versions.ts'

const DEFAULT_DIRECTORY = 'servey-app'

export function usage(command = 'create-servey'): string {
  return `Usage: ${command} [dir] [options]

Scaffold a standalone Servey app in dir (default: ask, or ${DEFAULT_DIRECTORY}).

Options:
  -y, --yes              take the defaults, ask nothing
  --triggers <list>      example actions to include, comma-separated: ${TRIGGER_CHOICES.join(', ')}
                         (default: ${DEFAULT_TRIGGERS.join(',')})
  --name <name>          the package name (default: the folder's name)
  --tarballs <dir>       depend on the @servey/*.tgz tarballs in dir (from \`pnpm pack-all\`)
                         instead of the npm registry
  -h, --help             show this help

With no terminal (CI, a pipe), nothing is asked: the defaults apply, as with --yes.
`
}

// npm's rules for a package name (lowercase, URL-safe, at most 214 characters).
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/

function packageNameFrom(directory: string): string {
  return basename(directory)
    .toLowerCase()
    .replace(/[^a-z0-9-._~]+/g, '-')
    .replace(/^[-._]+/, '')
}

function parseTriggers(list: string): TriggerChoice[] {
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  const unknown = names.filter((name) => !isTriggerChoice(name))
  if (unknown.length > 0 || names.length === 0) {
    throw new CreateServeyError(
      'SERVEY_ERR_CREATE_TRIGGER_UNKNOWN',
      `--triggers ${list}: ${unknown.length > 0 ? `unknown ${unknown.join(', ')}` : 'name at least one'}; choose from ${TRIGGER_CHOICES.join(', ')}`,
    )
  }
  return TRIGGER_CHOICES.filter((choice) => names.includes(choice))
}

function parse(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        yes: { type: 'boolean', short: 'y' },
        triggers: { type: 'string' },
        name: { type: 'string' },
        tarballs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    throw new CreateServeyError('SERVEY_ERR_CREATE_USAGE', (error as Error).message)
  }
}

export interface RunOptions {
  /** How the user called it, for the help text: `create-servey` (default) or `servey init`. */
  readonly command?: string
  /** The questions to ask at a terminal; tests pass their own. */
  readonly questions?: Questions
}

/** Run create-servey with these arguments and return its exit code. */
export async function runCreateServey(
  args: readonly string[],
  io: CreateIo = processIo(),
  options: RunOptions = {},
): Promise<number> {
  try {
    return await create(args, io, options)
  } catch (error) {
    if (!isCreateServeyError(error)) throw error
    io.stderr.write(`${error.code}: ${error.message}\n`)
    if (error.code === 'SERVEY_ERR_CREATE_USAGE') io.stderr.write(`\n${usage(options.command)}`)
    return error.code === 'SERVEY_ERR_CREATE_USAGE' ? 2 : 1
  }
}

async function create(args: readonly string[], io: CreateIo, options: RunOptions): Promise<number> {
  const { values, positionals } = parse(args)
  if (values.help === true) {
    io.stdout.write(usage(options.command))
    return 0
  }
  if (positionals.length > 1) {
    throw new CreateServeyError(
      'SERVEY_ERR_CREATE_USAGE',
      `one folder please, not ${positionals.join(' ')}`,
    )
  }
  const interactive = values.yes !== true && io.stdin.isTTY === true && io.stdout.isTTY === true
  const questions = interactive ? (options.questions ?? terminalQuestions(io)) : undefined
  // Checked before any question, so a bad flag never costs the user their answers.
  const flagTriggers = values.triggers === undefined ? undefined : parseTriggers(values.triggers)
  const tarballs = values.tarballs === undefined ? undefined : findTarballs(values.tarballs, io.cwd)

  questions?.start()
  let directory = positionals[0]
  if (directory === undefined && questions !== undefined) {
    const answer = await questions.directory(DEFAULT_DIRECTORY)
    if (answer === CANCELLED) return cancelled(questions)
    directory = answer
  }
  directory ??= DEFAULT_DIRECTORY
  let triggers = flagTriggers
  if (triggers === undefined && questions !== undefined) {
    const answer = await questions.triggers()
    if (answer === CANCELLED) return cancelled(questions)
    triggers = answer
  }
  triggers ??= [...DEFAULT_TRIGGERS]

  const target = resolve(io.cwd, directory)
  const name = values.name ?? packageNameFrom(target)
  if (!PACKAGE_NAME.test(name) || name.length > 214) {
    throw new CreateServeyError(
      'SERVEY_ERR_CREATE_NAME_INVALID',
      `'${name}' is not a valid npm package name: pass --name with lowercase letters, digits, - . _ ~`,
    )
  }
  let source: PackageSource = { kind: 'registry', version: frameworkVersion() }
  if (tarballs !== undefined) {
    checkTarballs(tarballs, requiredPackages(triggers), values.tarballs!)
    source = { kind: 'tarballs', tarballs }
  }
  const files = await scaffold({ directory: target, name, triggers, source })
  const shown = relative(io.cwd, target) || '.'
  io.stdout.write(
    [
      '',
      `Created ${name} in ${target} (${files.length} files; example actions: ${triggers.join(', ')}).`,
      '',
      'Next:',
      ...(shown === '.' ? [] : [`  cd ${shown.includes(' ') ? JSON.stringify(shown) : shown}`]),
      '  npm install',
      '  npm run dev      # http://127.0.0.1:8000/docs',
      '  npm test',
      '',
    ].join('\n'),
  )
  return 0
}

function cancelled(questions: Questions): number {
  questions.cancelled()
  return 1
}
