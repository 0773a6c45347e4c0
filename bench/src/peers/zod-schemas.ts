// The zod schemas of the peers that validate with zod (Hono, NestJS's standard-schema pipe,
// oRPC, tRPC): the same rules as the TypeBox schemas of ../rest/schemas.ts, which Servey and
// raw Fastify use, so every server accepts and rejects the same requests.
import { z } from 'zod'

export const SayHelloQuery = z.object({ name: z.string() })

export const CreateOrderBody = z.object({
  item: z.string().min(1).max(100),
  qty: z.int().min(1).max(1000),
  price: z.number().min(0),
  tags: z.array(z.string()).max(10),
  express: z.boolean(),
})
