import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInvoker, createRegistry } from '@servey/core'
import { createServer } from '@servey/rest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as actions from './actions/index.ts'
import { startServerlessOffline, type ServerlessOffline } from './serverless-offline.fixture.ts'
import { generateShowcaseProject } from './serverless-project.fixture.ts'

describe.each([
  ['an HTTP API (httpApi events, payload 2.0)', 'httpApi', ''],
  ['a REST API (http events, payload 1.0)', 'rest', '/dev'],
] as const)('the generated showcase stack under serverless-offline, %s', (_name, api, stage) => {
  let project: Awaited<ReturnType<typeof generateShowcaseProject>>
  let offline: ServerlessOffline | undefined
  let base = ''

  beforeAll(async () => {
    project = await generateShowcaseProject({ api })
    // EventBridge rates are whole minutes (heartbeat's 10 s becomes rate(1 minute)), which
    // serverless-offline fires on the minute. The test fires the same schedule, with the same
    // generated input, every 2 s instead: serverless-offline drops a cron's seventh (year)
    // field and hands node-schedule the six-field, seconds-first rest.
    const include = join(project.dir, 'serverless.servey.yml')
    const generated = await readFile(include, 'utf8')
    expect(generated).toContain('- rate(1 minute)')
    await writeFile(include, generated.replace('- rate(1 minute)', "- 'cron(*/2 * * * * * *)'"))
    // The AWS helper's range (43xx), so parallel suites never collide.
    offline = await startServerlessOffline(project.dir, {
      ports: [4310, 4400],
      // The shortened schedule above is not an AWS expression: a warning, for this test only.
      topLevel: ['configValidationMode: warn'],
      env: () => ({ JWT_SECRET_KEY: 'a-serverless-offline-test-secret-key' }),
    })
    // A REST API's URLs start with the stage; an HTTP API's $default stage has none.
    base = `http://127.0.0.1:${offline.httpPort}${stage}`
  }, 90_000)

  afterAll(async () => {
    await offline?.stop()
    await project?.remove()
  }, 15_000)

  it('answers GET /actions/say-hello?name=World with "Hello World!"', async () => {
    const response = await fetch(`${base}/actions/say-hello?name=World`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await response.json()).toBe('Hello World!')
  }, 30_000)

  it('serves a templated path through its route template', async () => {
    const response = await fetch(`${base}/greetings/Ada`)
    expect(response.status, await response.clone().text()).toBe(200)
    expect(await response.json()).toMatch(/Ada/)
  }, 30_000)

  it('answers bad input with problem+json, not a 502', async () => {
    const response = await fetch(`${base}/actions/say-hello`)
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(await response.json()).toMatchObject({ code: 'INVALID_PARAMS', status: 400 })
  }, 30_000)

  it('serves the page current_time_page as HTML from the bundled templates', async () => {
    const response = await fetch(`${base}/current-time-page`, { headers: { accept: 'text/html' } })
    expect(response.status, await response.clone().text()).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    // layout.njk wraps the page: the bundle carries the whole folder, not only the page's file.
    const html = await response.text()
    expect(html).toMatch(/<p id="current-time">The current time is \d{4}-\d{2}-\d{2}T/)
    expect(html).toMatch(/<\/html>/)
  }, 30_000)

  it('answers GET and HEAD /health and /ready from servey_health, as servey start does', async () => {
    // servey start's answers, from the same app (Fastify inject: no port, no process).
    const server = await createServer({ invoker: createInvoker(createRegistry(actions)) })
    try {
      for (const path of ['/health', '/ready']) {
        const expected = await server.inject({ method: 'GET', url: path })
        const response = await fetch(`${base}${path}`)
        expect(response.status, await response.clone().text()).toBe(200)
        expect(response.status).toBe(expected.statusCode)
        expect(await response.text()).toBe(expected.body)
        for (const header of ['content-type', 'cache-control']) {
          expect(response.headers.get(header)).toBe(expected.headers[header])
        }
        // serverless-offline (hapi) answers HEAD through the GET route; API Gateway through
        // the generated HEAD route (serverless.test.ts checks the stack has it).
        const head = await fetch(`${base}${path}`, { method: 'HEAD' })
        expect(head.status).toBe(200)
        expect(await head.text()).toBe('')
      }
    } finally {
      await server.close()
    }
    expect(offline!.output()).toMatch(/servey_health/)
  }, 30_000)

  it('runs the fixed-rate action on its schedule', async () => {
    await offline!.waitForOutput('Successfully invoked scheduled function: [heartbeat]', 20_000)
    // The action's own log line: it ran as the system caller, through the generated input.
    expect(offline!.output()).toMatch(/"msg":"heartbeat"/)
    expect(offline!.output()).not.toMatch(/Failed to execute scheduled function/)
  }, 30_000)
})
