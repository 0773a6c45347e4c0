export interface CoalescingQueue {
  /** Ask for a run: starts one now if idle, else one after the current; never more. */
  request(): void
  /** Resolves when no run is in progress or waiting. */
  idle(): Promise<void>
}

/**
 * Runs `task` one at a time. Requests made while it runs collapse into one more run, so a burst
 * of saves during a reload costs a single extra reload, and two reloads never race to swap in
 * their app. `task` must not throw; it reports its own failures.
 */
export function createCoalescingQueue(task: () => Promise<void>): CoalescingQueue {
  let chain = Promise.resolve()
  let waiting = false
  return {
    request() {
      if (waiting) return
      waiting = true
      chain = chain.then(() => {
        waiting = false
        return task()
      })
    },
    idle: () => chain,
  }
}
