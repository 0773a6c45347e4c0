import { spawn, type ChildProcess } from 'node:child_process'

/** A long-running command whose output can be awaited, stopped like Ctrl-C at a terminal. */
export interface RunningProcess {
  readonly child: ChildProcess
  output(): string
  /** Resolves with the first match of `pattern` in stdout + stderr; rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  /** Sends SIGINT to the whole process group (npx and the node it starts), as Ctrl-C does. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export function startProcess(
  file: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): RunningProcess {
  // Its own process group: npx runs the command in a child, which a signal to npx alone
  // would leave running.
  const child = spawn(file, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let all = ''
  const listeners = new Set<() => void>()
  const append = (chunk: string): void => {
    all += chunk
    for (const listener of listeners) listener()
  }
  child.stdout?.setEncoding('utf8').on('data', append)
  child.stderr?.setEncoding('utf8').on('data', append)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  void exited.then(() => listeners.forEach((listener) => listener()))
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal)
    } catch {
      // Already gone.
    }
  }
  return {
    child,
    output: () => all,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = all.match(pattern)
          if (match !== null) {
            finish()
            resolve(match)
          } else if (child.exitCode !== null || child.signalCode !== null) {
            finish()
            reject(new Error(`exited before printing ${pattern}:\n${all}`))
          }
        }
        const timer = setTimeout(() => {
          finish()
          reject(new Error(`timed out waiting for ${pattern}:\n${all}`))
        }, timeoutMs)
        const finish = (): void => {
          clearTimeout(timer)
          listeners.delete(check)
        }
        listeners.add(check)
        check()
      })
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) signalGroup('SIGINT')
      const timer = setTimeout(() => signalGroup('SIGKILL'), 15_000)
      const result = await exited
      clearTimeout(timer)
      return result
    },
  }
}
