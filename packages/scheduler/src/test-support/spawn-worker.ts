import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { notReadyMessage, PROCESS_START_TIMEOUT_MS, spawnTypeScript } from '@servey/testing'

const MAIN = fileURLToPath(new URL('./worker-main.ts', import.meta.url))

export interface WorkerProcess {
  readonly child: ChildProcess
  readonly output: () => string
}

/**
 * Starts worker-main.ts in its own Node process; resolves once it is taking jobs, or fails
 * after PROCESS_START_TIMEOUT_MS saying so.
 */
export function spawnWorker(
  env: Record<string, string>,
  timeoutMs = PROCESS_START_TIMEOUT_MS,
): Promise<WorkerProcess> {
  const child = spawnTypeScript(MAIN, [], {
    env: { ...process.env, ...env, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(notReadyMessage('A test worker (worker-main.ts)', timeoutMs, output)))
    }, timeoutMs)
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
      if (output.includes('ready\n')) {
        clearTimeout(timer)
        resolve({ child, output: () => output })
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`worker exited with ${code}:\n${output}`))
    })
  })
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export function stopWorker(worker: WorkerProcess, graceMs = 5000): Promise<void> {
  const { child } = worker
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
