import { cliErrors } from '../errors.ts'

export interface ServerAddress {
  readonly host: string
  readonly port: number
}

export interface AddressFlags {
  readonly port?: string | undefined
  readonly host?: string | undefined
}

const DEFAULT_HOST = '127.0.0.1'
const DEFAULT_PORT = 8000

function parsePort(value: string, from: string): number {
  const port = /^\d+$/.test(value.trim()) ? Number(value) : NaN
  if (!Number.isInteger(port) || port > 65_535)
    throw cliErrors.SERVEY_ERR_CLI_PORT_INVALID(value, from)
  return port
}

/** `--port`/`--host`, else PORT/HOST, else 127.0.0.1:8000 (design.md §4). Port 0 picks a free one. */
export function serverAddressFrom(flags: AddressFlags, env: NodeJS.ProcessEnv): ServerAddress {
  const port =
    flags.port !== undefined
      ? parsePort(flags.port, '--port')
      : env['PORT'] !== undefined && env['PORT'] !== ''
        ? parsePort(env['PORT'], 'PORT')
        : DEFAULT_PORT
  const host =
    flags.host ?? (env['HOST'] !== undefined && env['HOST'] !== '' ? env['HOST'] : DEFAULT_HOST)
  return { host, port }
}

/** The address to show a person: wildcard hosts become localhost, IPv6 gets brackets. */
export function displayOrigin(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`
}
