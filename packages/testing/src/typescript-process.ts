import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

/**
 * Node's flags that load TypeScript through tsx, as the `servey` binary does: tests that need
 * a second real process (cache sharing, workers killed mid-job) start their TypeScript this way.
 */
export function typeScriptNodeArgs(): string[] {
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
  // Run from the workspace's sources (as in this repository's own tests), the child resolves
  // @servey/* packages to their sources too, as vitest does (docs/packaging.md).
  const source = import.meta.url.endsWith('.ts') ? ['--conditions=@servey/source'] : []
  return [...source, '--import', loader]
}

/** Starts a TypeScript file in its own Node process. */
export function spawnTypeScript(
  file: string,
  args: readonly string[] = [],
  options: SpawnOptions = {},
): ChildProcess {
  return spawn(process.execPath, [...typeScriptNodeArgs(), file, ...args], options)
}

/** Runs a TypeScript file to its end and resolves with its stdout; rejects on a non-zero exit. */
export function runTypeScript(
  file: string,
  args: readonly string[] = [],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnTypeScript(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000)
    child.once('error', reject)
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve(stdout)
      else reject(new Error(`${file} exited with ${signal ?? code}: ${stderr.trim()}`))
    })
  })
}
