import type { INestApplication, Type } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify'
import { announceReady } from '../../../lib/server-process.ts'

/**
 * A Nest application on @nestjs/platform-fastify, as Nest's Fastify guide starts one, listening
 * on 127.0.0.1. Nest logs no request by default; its start-up lines (one per mapped route) are
 * kept to warnings so they do not flood the bench's output.
 */
export async function serveNest(
  module: Type<unknown>,
  setUp: (app: INestApplication) => void = () => {},
  port = 0,
): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), {
    logger: ['error', 'warn'],
  })
  setUp(app)
  await app.listen(port, '127.0.0.1')
  announceReady(await app.getUrl(), () => app.close())
}
