import { action } from '@servey/core'

function connect(): never {
  throw new Error('database unreachable')
}

export const ping = action({}, () => 'pong')
connect()
