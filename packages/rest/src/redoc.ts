import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { FastifyInstance } from 'fastify'

// ReDoc's standalone bundle: React and ReDoc in one file, from the npm package, so the page
// needs no CDN and works with no internet (as Swagger UI at /docs does).
// The one remote URL in the bundle: the sidebar's small Redocly logo, an <img> from their CDN.
// It becomes an empty inline image (the "API docs by Redocly" link stays), so opening the page
// sends no request anywhere; the browser test fails if a new remote URL appears.
const REMOTE_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg'
const EMPTY_IMAGE = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"

// Read on first use, not when a server is built: most servers never serve it.
let bundle: Promise<Buffer> | undefined
function loadBundle(): Promise<Buffer> {
  bundle ??= readFile(
    createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js'),
    'utf8',
  ).then((text) => Buffer.from(text.replaceAll(REMOTE_LOGO, EMPTY_IMAGE)))
  // A failed read is retried by the next request rather than cached.
  bundle.catch(() => (bundle = undefined))
  return bundle
}

// Relative URLs: /redoc resolves them to /openapi.json and /redoc/..., and so does a server
// mounted under a path prefix. No web fonts: ReDoc falls back to the system's sans-serif.
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>API reference</title>
    <style>body { margin: 0; padding: 0; }</style>
  </head>
  <body>
    <div id="redoc" data-spec-url="openapi.json"></div>
    <script src="redoc/redoc.standalone.js"></script>
    <script src="redoc/init.js"></script>
  </body>
</html>
`

// A file rather than an inline script, so a Content-Security-Policy of script-src 'self'
// (helmet's default) allows the page.
const INIT = `(function () {
  var element = document.getElementById('redoc')
  Redoc.init(element.getAttribute('data-spec-url'), {
    hideDownloadButton: false,
    expandResponses: '200,201,202',
    jsonSampleExpandLevel: 3,
  }, element)
})()
`

const ONE_DAY = 'public, max-age=86400'

/** `GET /redoc`: ReDoc over the app's `/openapi.json`, every asset served from this server. */
export function registerRedoc(app: FastifyInstance): void {
  app.get('/redoc', { schema: { hide: true } }, (_request, reply) => {
    reply.type('text/html; charset=utf-8').send(PAGE)
  })
  app.get('/redoc/init.js', { schema: { hide: true } }, (_request, reply) => {
    reply.type('text/javascript; charset=utf-8').header('cache-control', ONE_DAY).send(INIT)
  })
  app.get('/redoc/redoc.standalone.js', { schema: { hide: true } }, async (_request, reply) => {
    const body = await loadBundle()
    return reply.type('text/javascript; charset=utf-8').header('cache-control', ONE_DAY).send(body)
  })
}
