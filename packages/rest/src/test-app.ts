import { createInvoker, createRegistry } from '@servey/core'
import { adapterTestActions } from '@servey/testing'
import type { FastifyInstance } from 'fastify'
import { createServer, type CreateServerOptions } from './create-server.ts'

export const testActions = adapterTestActions

export function buildTestApp(options: Partial<CreateServerOptions> = {}): Promise<FastifyInstance> {
  return createServer({ invoker: createInvoker(createRegistry(testActions)), ...options })
}
