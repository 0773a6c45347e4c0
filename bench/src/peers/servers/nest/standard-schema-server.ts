// Child process: NestJS 12 on Fastify with its StandardSchemaValidationPipe and zod schemas
// declared on the parameters (`@Body({ schema })`), as Nest's validation chapter shows.
import 'reflect-metadata'
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Module,
  Post,
  Query,
  StandardSchemaValidationPipe,
} from '@nestjs/common'
import type { z } from 'zod'
import { acceptOrder, greet } from '../../../rest/schemas.ts'
import { CreateOrderBody, SayHelloQuery } from '../../zod-schemas.ts'
import { serveNest } from './serve-nest.ts'

@Controller('actions')
class ActionsController {
  @Get('say-hello')
  sayHello(@Query({ schema: SayHelloQuery }) query: z.infer<typeof SayHelloQuery>): string {
    return greet(query.name)
  }

  // Nest answers a POST with 201 unless told otherwise; the other servers answer 200.
  @Post('create-order')
  @HttpCode(200)
  createOrder(@Body({ schema: CreateOrderBody }) order: z.infer<typeof CreateOrderBody>) {
    return acceptOrder(order)
  }
}

@Module({ controllers: [ActionsController] })
class AppModule {}

await serveNest(AppModule, (app) => app.useGlobalPipes(new StandardSchemaValidationPipe()))
