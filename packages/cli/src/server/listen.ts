import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cliErrors } from '../errors.ts'
import type { ServerAddress } from './server-address.ts'

/** Listen, turning a taken port into a coded error; resolves to the port actually bound. */
export function listen(server: Server, address: ServerAddress): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? cliErrors.SERVEY_ERR_CLI_PORT_IN_USE(String(address.port), address.host)
          : error,
      )
    }
    server.once('error', onError)
    server.listen(address.port, address.host, () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    })
  })
}
