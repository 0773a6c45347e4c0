import { spawn } from 'node:child_process'
import { pinnedPnpmVersion } from './workspace.ts'

export interface CommandResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export interface CommandOptions {
  readonly cwd: string
  readonly env?: NodeJS.ProcessEnv
  readonly timeoutMs?: number
}

/** Run a command to its end (bounded in time) and collect its output; never throws on exit codes. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** Like runCommand, but rejects with the output when the command does not exit with 0. */
export async function runChecked(
  file: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  const result = await runCommand(file, args, options)
  if (result.code !== 0) {
    throw new Error(
      `${file} ${args.join(' ')} exited with ${result.code} in ${options.cwd}\n${result.stdout}${result.stderr}`,
    )
  }
  return result
}

/**
 * How to start pnpm: the pnpm that runs this process when there is one (`pnpm test` sets
 * npm_execpath to its own entry), else the version the repository pins, through npx.
 */
export function pnpmCommand(env: NodeJS.ProcessEnv = process.env): {
  file: string
  args: string[]
} {
  const execPath = env['npm_execpath']
  if (execPath !== undefined && /pnpm\.c?js$/.test(execPath)) {
    return { file: process.execPath, args: [execPath] }
  }
  return { file: 'npx', args: ['-y', `pnpm@${pinnedPnpmVersion()}`] }
}

/** npm settings a machine may legitimately set for every npm command (a mirror, a cache). */
const KEPT_NPM_SETTINGS = new Set([
  'npm_config_registry',
  'npm_config_cache',
  'npm_config_userconfig',
  'npm_config_update_notifier',
  'npm_config_fund',
  'npm_config_audit',
])

/**
 * The environment of a shell outside this repository: without what pnpm (npm_config_*,
 * npm_package_*, npm_lifecycle_*) and vitest (VITEST*, NODE_ENV=test) set for the tests.
 */
export function outsideEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase()
    if (lower.startsWith('npm_') && !KEPT_NPM_SETTINGS.has(lower)) continue
    if (lower.startsWith('pnpm_') || key.startsWith('VITEST') || key === 'TEST') continue
    if (key === 'NODE_ENV' || key === 'NODE_OPTIONS' || key === 'INIT_CWD') continue
    env[key] = value
  }
  return { ...env, ...extra }
}
