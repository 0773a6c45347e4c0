import { isShutdownMessage } from './shutdown-message.ts'

const SIGNALS = ['SIGINT', 'SIGTERM'] as const
/**
 * Resolves on the first SIGINT or SIGTERM so a server can close gracefully. A second signal
 * while closing exits at once: a person pressing Ctrl-C twice means it. A worker of
 * `servey start --workers` also stops when its primary asks over IPC (resolving 'SIGTERM'),
 * which is not a signal, so a Ctrl-C that reached the whole process group as well does not
 * count twice.
 */
export function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals): void => {
      for (const name of SIGNALS) process.off(name, onSignal)
      process.off('message', onMessage)
      for (const name of SIGNALS) process.once(name, () => process.exit(130))
      resolve(signal)
    }
    const onSignal = (signal: NodeJS.Signals): void => done(signal)
    const onMessage = (message: unknown): void => {
      if (isShutdownMessage(message)) done('SIGTERM')
    }
    for (const name of SIGNALS) process.on(name, onSignal)
    // Only a process with an IPC channel (a cluster worker) has a primary to listen to; a
    // listener on a process without one would do nothing, but on one with it keeps it alive.
    if (process.send !== undefined) process.on('message', onMessage)
  })
}
