import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { pinServer } from './cpu-pinning.ts'
import { processCpuMicros } from './process-cpu.ts'

/** What a server entry sends to its parent over IPC once it listens. */
export interface ReadyMessage {
  readonly type: 'ready'
  readonly url: string
}

/** CPU time the server process has used so far (user + system), in microseconds. */
export interface UsageMessage {
  readonly type: 'usage'
  readonly cpuMicros: number
}

export interface ServerProcess {
  readonly name: string
  readonly url: string
  readonly pid: number
  /** The server's own CPU time so far, in microseconds: robust to a busy machine, unlike req/s. */
  cpuMicros(): Promise<number>
  stop(): Promise<void>
}

export interface StartOptions {
  readonly name: string
  /** Absolute path of a .ts entry that listens and then calls `announceReady`. */
  readonly entry: string
  readonly env?: NodeJS.ProcessEnv
  readonly nodeArgs?: readonly string[]
  readonly timeoutMs?: number
  /** `ignore` sends the server's stdout (its request log lines) to /dev/null. Default inherit. */
  readonly stdout?: 'ignore' | 'inherit'
  /** A program that runs Node, with its arguments (`valgrind --tool=callgrind`). */
  readonly launcher?: readonly string[]
}

const TSX_LOADER = import.meta.resolve('tsx')

/** Starts a server entry in its own Node process (loaded through tsx) and waits for its URL. */
export async function startServerProcess(options: StartOptions): Promise<ServerProcess> {
  const [command, args] = launched(options.launcher, [
    ...(options.nodeArgs ?? []),
    '--import',
    TSX_LOADER,
    options.entry,
  ])
  const child = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.stdout ?? 'inherit', 'inherit', 'ipc'],
  })
  const pid = child.pid
  if (pid === undefined) throw new Error(`${options.name}: no pid`)
  pinServer(pid)
  const url = await waitForReady(child, options.name, options.timeoutMs ?? 30_000)
  return {
    name: options.name,
    url,
    pid,
    // From the OS when it can (nothing runs in the server to measure it), else over IPC.
    cpuMicros: () => {
      const micros = processCpuMicros(pid)
      return micros === undefined ? askUsage(child, options.name) : Promise.resolve(micros)
    },
    stop: () => stopChild(child),
  }
}

function askUsage(child: ChildProcess, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (isUsage(message)) {
        child.off('message', onMessage)
        resolve(message.cpuMicros)
      }
    }
    child.on('message', onMessage)
    child.send({ type: 'usage' }, (error) => {
      if (error !== null) {
        child.off('message', onMessage)
        reject(new Error(`${name}: cannot ask for CPU usage: ${error.message}`))
      }
    })
  })
}

function isUsage(message: unknown): message is UsageMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'usage' &&
    typeof (message as { cpuMicros?: unknown }).cpuMicros === 'number'
  )
}

function waitForReady(child: ChildProcess, name: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${name} did not report ready within ${timeoutMs} ms`))
    }, timeoutMs)
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})`))
    }
    child.once('exit', onExit)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('message', (message: unknown) => {
      if (isReady(message)) {
        clearTimeout(timer)
        child.off('exit', onExit)
        resolve(message.url)
      }
    })
  })
}

function isReady(message: unknown): message is ReadyMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'ready' &&
    typeof (message as { url?: unknown }).url === 'string'
  )
}

/** Node with `nodeArgs`, run directly or by `launcher`: the command and its arguments. */
export function launched(
  launcher: readonly string[] | undefined,
  nodeArgs: readonly string[],
): [string, string[]] {
  if (launcher === undefined || launcher.length === 0) return [process.execPath, [...nodeArgs]]
  const [program, ...args] = launcher as [string, ...string[]]
  return [program, [...args, process.execPath, ...nodeArgs]]
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000)
  try {
    await exited
  } finally {
    clearTimeout(timer)
  }
}

/** For server entries: tell the parent where we listen, and close cleanly when asked to stop. */
export function announceReady(url: string, close: () => Promise<unknown>): void {
  const shutdown = () => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGTERM', shutdown)
  process.once('SIGINT', shutdown)
  // If the bench dies, the IPC channel closes: do not outlive it.
  process.once('disconnect', shutdown)
  if (process.send === undefined) {
    console.log(url)
    return
  }
  process.on('message', (message: unknown) => {
    if ((message as { type?: unknown } | null)?.type === 'usage') {
      const { user, system } = process.cpuUsage()
      const usage: UsageMessage = { type: 'usage', cpuMicros: user + system }
      process.send?.(usage)
    }
  })
  const message: ReadyMessage = { type: 'ready', url }
  process.send(message)
}
