// Child process: NestJS on Fastify with its usual ValidationPipe (class-validator DTOs,
// class-transformer), registered globally as Nest's validation chapter shows.
import 'reflect-metadata'
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Module,
  Post,
  Query,
  ValidationPipe,
} from '@nestjs/common'
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator'
import { acceptOrder, greet } from '../../../rest/schemas.ts'
import { paramTypes } from './param-types.ts'
import { serveNest } from './serve-nest.ts'

class SayHelloQueryDto {
  @IsString()
  name!: string
}

class CreateOrderDto {
  @IsString()
  @Length(1, 100)
  item!: string

  @IsInt()
  @Min(1)
  @Max(1000)
  qty!: number

  @IsNumber()
  @Min(0)
  price!: number

  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  tags!: string[]

  @IsBoolean()
  express!: boolean
}

@Controller('actions')
class ActionsController {
  @Get('say-hello')
  @paramTypes(SayHelloQueryDto)
  sayHello(@Query() query: SayHelloQueryDto): string {
    return greet(query.name)
  }

  // Nest answers a POST with 201 unless told otherwise; the other servers answer 200.
  @Post('create-order')
  @HttpCode(200)
  @paramTypes(CreateOrderDto)
  createOrder(@Body() order: CreateOrderDto) {
    return acceptOrder(order)
  }
}

@Module({ controllers: [ActionsController] })
class AppModule {}

await serveNest(AppModule, (app) => app.useGlobalPipes(new ValidationPipe()))
