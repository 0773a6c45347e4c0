// Start-up: Express 5 with 100 routes validated by express-validator chains.
import { createServer } from 'node:http'
import express from 'express'
import { matchedData, query, validationResult } from 'express-validator'
import { greet } from '../../rest/schemas.ts'
import { listenAndAnnounce } from '../servers/announce-node-server.ts'
import { STARTUP_ROUTES, portFromEnv, startupPath } from './routes.ts'

const app = express()
app.use(express.json())
for (let index = 0; index < STARTUP_ROUTES; index++) {
  app.get(startupPath(index), query('name').exists().isString(), (request, response) => {
    const result = validationResult(request)
    if (!result.isEmpty()) {
      response.status(400).json({ errors: result.array() })
      return
    }
    response.json(greet(matchedData<{ name: string }>(request).name))
  })
}
await listenAndAnnounce(createServer(app), portFromEnv())
