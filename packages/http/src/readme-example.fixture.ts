// The example of README.md, kept runnable by readme.test.ts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { action, createInvoker, createRegistry, Type, WEB_GET } from '@servey/core'
import { createHttpHandler } from '@servey/http'

const say_hello = action(
  { triggers: [WEB_GET], params: Type.Object({ name: Type.String() }), result: Type.String() },
  ({ name }) => `Hello ${name}!`,
)
export const http = createHttpHandler({ invoker: createInvoker(createRegistry({ say_hello })) })

// Any transport: turn its request into an HttpRequest, write the HttpResponse back.
async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const [path = '/', query] = (req.url ?? '/').split('?', 2)
  const response = await http.handle({
    method: req.method ?? 'GET',
    path,
    query,
    headers: req.headers,
    body: Buffer.concat(chunks),
    requestId: crypto.randomUUID(),
  })
  res.writeHead(response.status, response.headers).end(response.body)
}

export const server = createServer((req, res) => {
  serve(req, res).catch(() => res.destroy())
})
