import { spawn } from 'node:child_process'
import { Readable } from 'node:stream'
import { runCli, type CliIo } from '@servey/cli'
import fc from 'fast-check'
import {
  deepText,
  hostileValueText,
  notJsonText,
  objectTextFor,
  wideText,
  type SchemaLike,
} from './hostile-values.ts'
import { SERVEY_BIN, SHOWCASE_DIR } from './showcase-server.ts'
import { STACK_FRAME, type Fault } from './verdict.ts'

/** One `servey run`: the arguments, and what is piped to stdin or written to a file first. */
export interface CliCase {
  readonly trigger: 'cli'
  readonly label: string
  readonly args: readonly string[]
  readonly stdin?: Buffer | string
  /** Written to a scratch file whose path replaces `{file}` in the arguments. */
  readonly file?: Buffer | string
}

export interface CliAnswer {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export interface CliAction {
  readonly name: string
  readonly params: SchemaLike | undefined
}

/** Events for one action: schema-derived, hostile, broken, huge, binary, nested, via files. */
function casesFor(action: CliAction): fc.Arbitrary<CliCase> {
  const schema = action.params ?? { type: 'object' }
  const flag = `--action=${action.name}`
  const event = fc.oneof(
    { arbitrary: objectTextFor(schema), weight: 6 },
    { arbitrary: hostileValueText, weight: 3 },
    { arbitrary: notJsonText, weight: 2 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 1 },
  )
  return fc.oneof(
    {
      arbitrary: event.map((text) => ({
        trigger: 'cli' as const,
        label: `run ${flag} --event=${text.slice(0, 200)}`,
        // Linux refuses one argument over 128 KiB (E2BIG); bigger events go through a file.
        args:
          text.length > 100_000
            ? ['run', flag, '--event=@{file}']
            : ['run', flag, `--event=${text}`],
        ...(text.length > 100_000 ? { file: text } : {}),
      })),
      weight: 8,
    },
    {
      arbitrary: fc
        .oneof(
          event,
          deepText,
          wideText,
          fc.integer({ min: 1, max: 3_000_000 }).map((n) => `"${'x'.repeat(n)}"`),
        )
        .map((text) => ({
          trigger: 'cli' as const,
          label: `run ${flag} --event=@file (${text.length} chars: ${text.slice(0, 80)})`,
          args: ['run', flag, '--event=@{file}'],
          file: text,
        })),
      weight: 2,
    },
    {
      arbitrary: fc.uint8Array({ minLength: 0, maxLength: 400 }).map((bytes) => ({
        trigger: 'cli' as const,
        label: `run ${flag} --event=@binary-file (${bytes.length} bytes)`,
        args: ['run', flag, '--event=@{file}'],
        file: Buffer.from(bytes),
      })),
      weight: 1,
    },
    {
      arbitrary: fc
        .oneof(
          event,
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
        )
        .map((input) => ({
          trigger: 'cli' as const,
          label: `run ${flag} --event=- < ${typeof input === 'string' ? input.slice(0, 80) : `<${input.length} bytes>`}`,
          args: ['run', flag, '--event=-'],
          stdin: input,
        })),
      weight: 1,
    },
    {
      arbitrary: fc
        .constantFrom(
          '--event=@/nonexistent/event.json',
          '--event=@',
          '--event=@/',
          '--event=@/dev/null',
          '--event=',
          '--event',
          '--claims={',
          '--claims=[]',
          '--claims={"scopes":"root"}',
          '--claims={"sub":1e309}',
        )
        .map((extra) => ({
          trigger: 'cli' as const,
          label: `run ${flag} ${extra}`,
          args: ['run', flag, extra],
        })),
      weight: 1,
    },
  )
}

/** Events for every action the app registers, and names that are not actions. */
export function cliCases(actions: readonly CliAction[]): fc.Arbitrary<CliCase> {
  const unknown = fc
    .oneof(
      fc.constantFrom('', 'SAY_HELLO', 'say-hello', '__proto__', 'constructor', 'toString', '../x'),
      fc.string({ maxLength: 20 }),
    )
    .map((name) => ({
      trigger: 'cli' as const,
      label: `run --action=${name}`,
      args: ['run', `--action=${name}`, '--event={}'],
    }))
  return fc.oneof(
    { arbitrary: fc.oneof(...actions.map(casesFor)), weight: 20 },
    { arbitrary: unknown, weight: 1 },
  )
}

function capture(): { write(text: string): boolean; text(): string } {
  const chunks: string[] = []
  return {
    write: (text: string) => {
      chunks.push(String(text))
      return true
    },
    text: () => chunks.join(''),
  }
}

/** `servey run` in this process, through the same `runCli` the binary calls (fast: 10,000s). */
export async function runInProcess(
  item: CliCase,
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<CliAnswer> {
  const stdout = capture()
  const stderr = capture()
  const stdin = Object.assign(
    Readable.from(item.stdin === undefined ? [] : [Buffer.from(item.stdin)]),
    {
      isTTY: item.stdin === undefined,
    },
  )
  const io: CliIo = { cwd: SHOWCASE_DIR, env: { ...env }, stdin, stdout, stderr }
  const args = item.args.map((arg) => (file === undefined ? arg : arg.replace('{file}', file)))
  let code: number
  try {
    code = await runCli(args, io)
  } catch (error) {
    // runCli never throws for bad input; if it does, that is a finding.
    return {
      code: -1,
      stdout: stdout.text(),
      stderr: `runCli threw: ${(error as Error).stack ?? String(error)}`,
    }
  }
  return { code, stdout: stdout.text(), stderr: stderr.text() }
}

/** The real binary, for a sample: what a user's terminal shows, exit code included. */
export function runBinary(
  item: CliCase,
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<CliAnswer> {
  const args = item.args.map((arg) => (file === undefined ? arg : arg.replace('{file}', file)))
  // No process can be given a NUL byte in its arguments (execve takes C strings, and spawn
  // throws): no user's shell can send one either, so such a case runs in process instead.
  if (args.some((arg) => arg.includes('\0'))) return runInProcess(item, file, env)
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVEY_BIN, ...args], {
      cwd: SHOWCASE_DIR,
      env: { ...process.env, ...env },
      stdio: [item.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text))
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text))
    if (item.stdin !== undefined) child.stdin?.end(item.stdin)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

/**
 * The goals for `servey run` given bad input: no stack trace, no server-fault exit (1) or
 * code, and a one-line coded message on stderr when it fails. Exit 3 (the action succeeded,
 * a channel handler it set off failed, said on stderr) is not a fault of the input's handling:
 * the showcase's `raise_alert` gets it when its webhook's host does not resolve.
 */
export function judgeCli(answer: CliAnswer): Fault {
  if (STACK_FRAME.test(answer.stderr) || STACK_FRAME.test(answer.stdout)) return 'stack trace'
  if (answer.code === -1) return 'runCli threw'
  if (/\b(INTERNAL|INVALID_RESULT)\b/.test(answer.stderr)) return 'server-fault code'
  // Exit 1 is also a definition error (SERVEY_ERR_*: the command line cannot work as written,
  // such as --claims under NODE_ENV=production), which is coded and documented; anything else
  // with exit 1 is a fault of the app, not of the input.
  if (answer.code === 1 && !/^SERVEY_ERR_[A-Z_]+: /.test(answer.stderr)) {
    return 'exit 1 (a fault of the server, not of the input)'
  }
  if (answer.code !== 0 && answer.stderr.trim() === '')
    return `exit ${answer.code} with nothing on stderr`
  return undefined
}
