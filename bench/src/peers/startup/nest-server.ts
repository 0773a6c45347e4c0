// Start-up: NestJS on Fastify with 100 routes validated by its StandardSchemaValidationPipe.
// The 100 handlers are one controller's methods, decorated in a loop with the same decorators
// a hand-written `@Get('greet-0') greet0(@Query({ schema }) query) {...}` applies.
import 'reflect-metadata'
import { Controller, Get, Module, Query, StandardSchemaValidationPipe } from '@nestjs/common'
import { greet } from '../../rest/schemas.ts'
import { serveNest } from '../servers/nest/serve-nest.ts'
import { SayHelloQuery } from '../zod-schemas.ts'
import { STARTUP_ROUTES, portFromEnv } from './routes.ts'

class GreetingsController {}
const prototype = GreetingsController.prototype as Record<string, unknown>
for (let index = 0; index < STARTUP_ROUTES; index++) {
  const key = `greet${index}`
  prototype[key] = (query: { name: string }) => greet(query.name)
  const descriptor = Object.getOwnPropertyDescriptor(prototype, key)
  if (descriptor === undefined) throw new Error(`no method ${key}`)
  Query({ schema: SayHelloQuery })(prototype, key, 0)
  Get(`greet-${index}`)(prototype, key, descriptor)
}
Controller('actions')(GreetingsController)

@Module({ controllers: [GreetingsController] })
class AppModule {}

await serveNest(
  AppModule,
  (app) => app.useGlobalPipes(new StandardSchemaValidationPipe()),
  portFromEnv(),
)
