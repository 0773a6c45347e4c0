import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createInvoker, createRegistry } from '@servey/core'
import { createServer } from '@servey/rest'
import { startScheduler } from '@servey/scheduler'
import { describe, expect, it } from 'vitest'
import * as helloActions from '../../hello/src/actions.ts'
import * as actions from './actions/index.ts'
import { lintOpenApi } from './openapi-lint.fixture.ts'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

/** What the CLI puts in `info`, from the example's package.json. */
function infoOf(packageJson: string) {
  const pkg = JSON.parse(readFileSync(here(packageJson), 'utf8')) as Record<string, string>
  return {
    title: pkg['name'] as string,
    version: pkg['version'] as string,
    description: pkg['description'] as string,
    license: { name: pkg['license'] as string, identifier: pkg['license'] as string },
    contact: { name: pkg['author'] as string },
  }
}

async function servedDocument(app: Awaited<ReturnType<typeof createServer>>): Promise<object> {
  const response = await app.inject({ url: '/openapi.json', headers: { host: '127.0.0.1:8000' } })
  expect(response.statusCode).toBe(200)
  return response.json() as object
}

// The documents as users get them, linted in-process and offline: 0 errors, 0 warnings.
describe("the examples' served OpenAPI documents", () => {
  it("pass Redocly's recommended and Spectral's oas rulesets (showcase, with jobs and the token flow)", async () => {
    const invoker = createInvoker(createRegistry(actions))
    const scheduler = await startScheduler({ invoker, role: 'api' })
    const app = await createServer({
      invoker,
      pages: { templates: here('../templates'), public: here('../public') },
      jobs: { runner: scheduler.jobs, callbackPolicy: scheduler.callbackPolicy },
      openapi: { ...infoOf('../package.json'), tokenUrl: '/token' },
    })
    try {
      const document = (await servedDocument(app)) as { servers: unknown }
      expect(document.servers).toEqual([
        { url: 'http://127.0.0.1:8000', description: 'This server' },
      ])
      expect(await lintOpenApi(document)).toEqual([])
    } finally {
      await app.close()
      await scheduler.close()
    }
  }, 30_000)

  it("pass Redocly's recommended and Spectral's oas rulesets (hello)", async () => {
    const app = await createServer({
      invoker: createInvoker(createRegistry(helloActions)),
      openapi: infoOf('../../hello/package.json'),
    })
    try {
      expect(await lintOpenApi(await servedDocument(app))).toEqual([])
    } finally {
      await app.close()
    }
  }, 30_000)
})
