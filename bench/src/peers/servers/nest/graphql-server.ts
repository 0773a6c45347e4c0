// Child process: NestJS GraphQL, code first, with the Mercurius driver on @nestjs/platform-fastify,
// as Nest's GraphQL chapter shows; the same fields and resolvers as the other GraphQL servers.
// Every field names its GraphQL type (`() => Int`), which Nest would otherwise read from
// decorator metadata that tsx does not emit; `@Args` reads the parameter types even so, hence
// the `design:paramtypes` tsc would have emitted (./param-types.ts).
import 'reflect-metadata'
import { Module } from '@nestjs/common'
import {
  Args,
  Field,
  Float,
  GraphQLModule,
  Int,
  ObjectType,
  Query,
  Resolver,
} from '@nestjs/graphql'
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius'
import { greet, listOrders, type OrderRecord } from '../../../graphql/resolvers.ts'
import { paramTypes } from './param-types.ts'
import { serveNest } from './serve-nest.ts'

@ObjectType()
class Order {
  @Field(() => Int)
  id!: number

  @Field(() => String)
  item!: string

  @Field(() => Int)
  qty!: number

  @Field(() => Float)
  price!: number

  @Field(() => Boolean)
  express!: boolean

  @Field(() => [String])
  tags!: string[]
}

@Resolver(() => Order)
class OrdersResolver {
  @Query(() => String)
  @paramTypes(String)
  sayHello(@Args('name', { type: () => String }) name: string): string {
    return greet(name)
  }

  @Query(() => [Order])
  @paramTypes(Number)
  orders(@Args('count', { type: () => Int }) count: number): OrderRecord[] {
    return listOrders(count)
  }
}

@Module({
  imports: [
    GraphQLModule.forRoot<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      autoSchemaFile: true,
      graphiql: false,
    }),
  ],
  providers: [OrdersResolver],
})
class AppModule {}

await serveNest(AppModule)
