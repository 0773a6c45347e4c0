import { existsSync } from 'node:fs'
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRegistry } from '@servey/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { parse } from 'yaml'
import * as app from '../../test-fixtures/app/src/actions.ts'
import { httpApiEvent } from '../runtime/api-gateway-events.fixture.ts'
import { writeServerlessProject } from './write-project.ts'

// Each test bundles the fixture app with esbuild: seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 })

const fixture = fileURLToPath(new URL('../../test-fixtures/app/', import.meta.url))
const entry = join(fixture, 'src/actions.ts')
const registry = createRegistry(app)
/** A message of nunjucks' own code: found in a bundle only if nunjucks is in it. */
const NUNJUCKS_MARK = 'Template render error'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'servey-sls-'))
  await cp(join(fixture, 'package.json'), join(dir, 'package.json'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const read = (file: string) => readFile(join(dir, file), 'utf8')
const include = async () =>
  parse(await read('serverless.servey.yml')) as {
    functions: Record<string, { events?: unknown[]; timeout: number; handler: string }>
  }
const listing = async () => (await readdir(dir, { recursive: true })).sort()

describe('writeServerlessProject', () => {
  it('writes serverless.yml, the include and one working bundle per function', async () => {
    const report = await writeServerlessProject({ registry, entry, serviceDir: dir })
    expect(report).toMatchObject({ service: 'acme-fixture-shop', mainWritten: true })
    expect(report.functions.map((fn) => [fn.key, fn.actions, fn.routes, fn.schedules])).toEqual([
      ['get_item', ['get_item'], ['GET /items/{id}'], []],
      ['nightly', ['nightly'], [], ['cron(0 2 ? * MON,TUE,WED,THU,FRI *)', 'rate(5 minutes)']],
      ['say_hello', ['say_hello'], ['GET /actions/say-hello'], []],
      // Made in a loop: always in the router, which matches them by route.
      ['servey_router', ['page_1', 'page_2'], ['GET /actions/page-1', 'GET /actions/page-2'], []],
      ['servey_health', [], ['GET /health', 'HEAD /health', 'GET /ready', 'HEAD /ready'], []],
    ])
    // The bundle is a real Lambda handler: import it and invoke it directly.
    const bundle = join(dir, '.servey/aws/say_hello/handler.mjs')
    const { handler } = (await import(pathToFileURL(bundle).href)) as {
      handler: (event: unknown) => Promise<unknown>
    }
    await expect(handler({ params: { name: 'Lambda' } })).resolves.toBe('Hello Lambda!')
    // It serves no page: nunjucks (the page renderer's engine) is not in its bundle.
    expect(await readFile(bundle, 'utf8')).not.toContain(NUNJUCKS_MARK)
    // devDependencies never reach a bundle unnoticed (the fixture lists typebox as one).
    expect(report.warnings).toContainEqual(
      expect.stringMatching(/say_hello: its bundle carries typebox, listed in devDependencies/),
    )

    const generated = await include()
    expect(generated.functions['get_item']).toMatchObject({
      handler: '.servey/aws/get_item/handler.handler',
      timeout: 41,
      events: [{ httpApi: { method: 'GET', path: '/items/{id}' } }],
    })
    expect(generated.functions['nightly']?.events).toEqual([
      {
        schedule: {
          rate: ['cron(0 2 ? * MON,TUE,WED,THU,FRI *)'],
          input: { servey: 'schedule', action: 'nightly', schedule: 0 },
          method: 'scheduler',
          timezone: 'Europe/Paris',
        },
      },
      {
        schedule: {
          rate: ['rate(5 minutes)'],
          input: { servey: 'schedule', action: 'nightly', schedule: 1 },
        },
      },
    ])
    expect(report.warnings).toContainEqual(
      expect.stringMatching(
        /^get_item: its timeout \(41 s\) is longer than API Gateway waits \(30 s\)/,
      ),
    )
    expect(await listing()).not.toContainEqual(expect.stringMatching(/tmp-/))
  })

  it('writes servey_health: the probes, answered by a bundle with no app code', async () => {
    const report = await writeServerlessProject({ registry, entry, serviceDir: dir })
    const generated = await include()
    expect(generated.functions['servey_health']).toEqual({
      handler: '.servey/aws/servey_health/handler.handler',
      description: 'Servey probes: GET and HEAD /health (liveness) and /ready (readiness)',
      timeout: 5,
      memorySize: 1024,
      environment: { NODE_ENV: 'production' },
      package: { patterns: ['.servey/aws/servey_health/**'] },
      events: [
        { httpApi: { method: 'GET', path: '/health' } },
        { httpApi: { method: 'HEAD', path: '/health' } },
        { httpApi: { method: 'GET', path: '/ready' } },
        { httpApi: { method: 'HEAD', path: '/ready' } },
      ],
    })
    const bundle = join(dir, '.servey/aws/servey_health/handler.mjs')
    const code = await readFile(bundle, 'utf8')
    // None of the app: no action's handler, no precompiled validator, no page engine.
    expect(code).not.toContain('Hello ')
    expect(code).not.toContain('get_item')
    expect(code).not.toContain(NUNJUCKS_MARK)
    const health = report.functions.find((fn) => fn.key === 'servey_health')
    const sayHello = report.functions.find((fn) => fn.key === 'say_hello')
    expect(health!.bytes).toBeLessThan(sayHello!.bytes)
    const { handler } = (await import(pathToFileURL(bundle).href)) as {
      handler: (event: unknown) => Promise<{ statusCode: number; body: string }>
    }
    const event = (path: string) => httpApiEvent({ method: 'GET', path, resource: path })
    await expect(handler(event('/health'))).resolves.toMatchObject({
      statusCode: 200,
      body: '{"status":"ok"}',
    })
    await expect(handler(event('/ready'))).resolves.toMatchObject({
      statusCode: 200,
      body: '{"status":"ready"}',
    })
  })

  it('keeps the edits of serverless.yml and rewrites the rest', async () => {
    await writeServerlessProject({ registry, entry, serviceDir: dir })
    const edited = `${await read('serverless.yml')}\ncustom:\n  mine: !Sub 'arn:aws:s3:::\${AWS::AccountId}'\n`
    await writeFile(join(dir, 'serverless.yml'), edited)
    const report = await writeServerlessProject({
      registry,
      entry,
      serviceDir: dir,
      // --no-health: the probes' function and its bundle go.
      options: { router: true, service: 'another-name', health: false },
    })
    expect(report.mainWritten).toBe(false)
    expect(await read('serverless.yml')).toBe(edited)
    expect(report.service).toBe('acme-fixture-shop')
    expect(report.warnings[0]).toMatch(/names the service 'acme-fixture-shop', which stays/)
    expect(Object.keys((await include()).functions)).toEqual(['servey_router'])
    expect(await readdir(join(dir, '.servey/aws'))).toEqual(['servey_router'])
  })

  it('refuses bad input with a coded error and writes nothing', async () => {
    const before = await listing()
    await expect(
      writeServerlessProject({
        registry,
        entry,
        serviceDir: dir,
        options: { service: 'my_shop!' },
      }),
    ).rejects.toMatchObject({ code: 'SERVEY_ERR_SLS_NAME_INVALID' })
    await expect(
      writeServerlessProject({
        registry,
        entry,
        serviceDir: dir,
        options: { service: 'a-service-name-long-enough-to-break-the-role-name' },
      }),
    ).rejects.toMatchObject({ code: 'SERVEY_ERR_SLS_NAME_INVALID', message: /IAM role name/ })
    await expect(
      writeServerlessProject({
        registry,
        entry,
        serviceDir: dir,
        options: { frobnicate: true } as never,
      }),
    ).rejects.toMatchObject({ code: 'SERVEY_ERR_SLS_OPTION_UNKNOWN' })
    for (const options of [{ memory: 64 }, { runtime: 'nodejs12.x' }, { cors: ['ftp://x'] }]) {
      await expect(
        writeServerlessProject({ registry, entry, serviceDir: dir, options: options as never }),
      ).rejects.toMatchObject({ code: 'SERVEY_ERR_SLS_OPTION_INVALID' })
    }
    expect(await listing()).toEqual(before)
  })

  it('reads an existing serverless.yml first, and stops if it is not YAML', async () => {
    await writeFile(join(dir, 'serverless.yml'), 'service: shop\nprovider: [unclosed\n')
    await expect(
      writeServerlessProject({ registry, entry, serviceDir: dir }),
    ).rejects.toMatchObject({
      code: 'SERVEY_ERR_SLS_MAIN_INVALID',
    })
    expect(existsSync(join(dir, 'serverless.servey.yml'))).toBe(false)
    expect(existsSync(join(dir, '.servey/aws'))).toBe(false)
  })

  it('leaves the previous bundles in place when bundling fails', async () => {
    await writeServerlessProject({ registry, entry, serviceDir: dir })
    const before = await read('serverless.servey.yml')
    await expect(
      writeServerlessProject({
        registry,
        entry: join(fixture, 'src/broken.ts'),
        serviceDir: dir,
        options: { router: true },
      }),
    ).rejects.toMatchObject({
      code: 'SERVEY_ERR_SLS_BUNDLE_FAILED',
      message: /no-such-module/,
    })
    expect(await read('serverless.servey.yml')).toBe(before)
    expect((await readdir(join(dir, '.servey'))).sort()).toEqual(['aws'])
    expect(await readdir(join(dir, '.servey/aws'))).toContain('say_hello')
  })
})

describe('writeServerlessProject for an app with pages', () => {
  const pagesApp = fileURLToPath(new URL('../../test-fixtures/pages-app/', import.meta.url))
  const pagesEntry = join(pagesApp, 'src/actions.ts')

  it('bundles the templates folder with the page function, which renders HTML', async () => {
    const pagesRegistry = createRegistry(await import(pathToFileURL(pagesEntry).href))
    await writeServerlessProject({
      registry: pagesRegistry,
      entry: pagesEntry,
      serviceDir: dir,
      templates: join(pagesApp, 'templates'),
    })
    expect((await readdir(join(dir, '.servey/aws/welcome/templates'))).sort()).toEqual([
      'base.njk',
      'welcome.njk',
    ])
    // Run from elsewhere: the handler finds its templates next to itself, not in the cwd.
    const bundle = join(dir, '.servey/aws/welcome/handler.mjs')
    const { handler } = (await import(pathToFileURL(bundle).href)) as {
      handler: (event: unknown, context: unknown) => Promise<Record<string, unknown>>
    }
    const response = await handler(
      {
        version: '2.0',
        routeKey: 'GET /welcome',
        rawPath: '/welcome',
        rawQueryString: 'name=%3Cb%3EAda',
        headers: { accept: 'text/html' },
        requestContext: {
          http: { method: 'GET', path: '/welcome', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1' },
          requestId: 'page-request',
          routeKey: 'GET /welcome',
          stage: '$default',
        },
        isBase64Encoded: false,
      },
      { awsRequestId: 'page-request', functionName: 'welcome' },
    )
    expect(response).toMatchObject({
      statusCode: 200,
      headers: expect.objectContaining({ 'content-type': 'text/html; charset=utf-8' }),
    })
    // Autoescaped, and wrapped by the layout it extends.
    expect(response['body']).toMatch(/<h1 id="welcome">Welcome, &lt;b&gt;Ada<\/h1><\/body><\/html>/)
    // Only the page function carries nunjucks; the app's other function answers without it.
    expect(await readFile(bundle, 'utf8')).toContain(NUNJUCKS_MARK)
    const ping = join(dir, '.servey/aws/ping/handler.mjs')
    expect(await readFile(ping, 'utf8')).not.toContain(NUNJUCKS_MARK)
    const { handler: pingHandler } = (await import(pathToFileURL(ping).href)) as {
      handler: (event: unknown) => Promise<unknown>
    }
    await expect(pingHandler({ params: {} })).resolves.toBe('pong')
  })

  it('refuses an app whose pages have no templates folder, and writes nothing', async () => {
    const pagesRegistry = createRegistry(await import(pathToFileURL(pagesEntry).href))
    const before = await listing()
    await expect(
      writeServerlessProject({ registry: pagesRegistry, entry: pagesEntry, serviceDir: dir }),
    ).rejects.toMatchObject({ code: 'SERVEY_ERR_SLS_TEMPLATES_MISSING', message: /welcome/ })
    expect(await listing()).toEqual(before)
  })
})
