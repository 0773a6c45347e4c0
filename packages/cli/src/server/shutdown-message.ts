/** What the primary of `servey start --workers` sends a worker to make it shut down gracefully. */
export const SHUTDOWN_MESSAGE = 'servey:shutdown'

export function isShutdownMessage(message: unknown): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === SHUTDOWN_MESSAGE
  )
}
