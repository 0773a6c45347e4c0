/** The flags `servey dev` and `servey start` share. */
export interface ServeOptions {
  readonly port?: string
  readonly host?: string
  /** `--no-docs` makes this false. */
  readonly docs: boolean
  readonly entry?: string
  /** `servey start --no-worker` makes this false: jobs and schedules run elsewhere. */
  readonly worker?: boolean
  /** `servey start --workers <n|auto>`: server processes (node:cluster). */
  readonly workers?: string
}
