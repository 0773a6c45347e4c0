// Child process: Express 5 with express-validator's validation chains, as its guide shows:
// the chains run as middleware, the handler reads validationResult and matchedData.
import { createServer } from 'node:http'
import express, { type Request, type Response } from 'express'
import { body, matchedData, query, validationResult } from 'express-validator'
import { listenAndAnnounce } from './announce-node-server.ts'
import { acceptOrder, greet, type Order } from '../../rest/schemas.ts'

const app = express()
app.use(express.json())

/** Answers 400 with the chains' errors when any failed; true when the request may go on. */
function valid(request: Request, response: Response): boolean {
  const result = validationResult(request)
  if (result.isEmpty()) return true
  response.status(400).json({ errors: result.array() })
  return false
}

app.get(
  '/actions/say-hello',
  query('name').exists().isString(),
  (request: Request, response: Response) => {
    if (!valid(request, response)) return
    const { name } = matchedData<{ name: string }>(request)
    response.json(greet(name))
  },
)

app.post(
  '/actions/create-order',
  body('item').isString().isLength({ min: 1, max: 100 }),
  body('qty').isInt({ min: 1, max: 1000 }),
  body('price').isFloat({ min: 0 }),
  body('tags').isArray({ max: 10 }),
  body('tags.*').isString(),
  body('express').isBoolean({ strict: true }),
  (request: Request, response: Response) => {
    if (!valid(request, response)) return
    response.json(acceptOrder(matchedData<Order>(request)))
  },
)

await listenAndAnnounce(createServer(app))
