const SIGNALS = ['SIGINT', 'SIGTERM'] as const

/**
 * Resolves on the first SIGINT or SIGTERM so a server can close gracefully. A second signal
 * while closing exits at once: a person pressing Ctrl-C twice means it.
 */
export function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      for (const name of SIGNALS) process.off(name, onSignal)
      for (const name of SIGNALS) process.once(name, () => process.exit(130))
      resolve(signal)
    }
    for (const name of SIGNALS) process.on(name, onSignal)
  })
}
