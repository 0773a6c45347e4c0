import { cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRegistry } from '@servey/core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as app from '../../test-fixtures/query-app/src/actions.ts'
import { createLambdaHandler, type LambdaHandler } from '../runtime/create-lambda-handler.ts'
import { httpApiEvent } from '../runtime/api-gateway-events.fixture.ts'
import { writeServerlessProject } from './write-project.ts'

// Bundling the fixture app with esbuild takes seconds on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 })

const fixture = fileURLToPath(new URL('../../test-fixtures/query-app/', import.meta.url))

let dir: string
let bundleText: string
let bundled: LambdaHandler
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'servey-sls-precompiled-'))
  await cp(join(fixture, 'package.json'), join(dir, 'package.json'))
  await writeServerlessProject({
    registry: createRegistry(app),
    entry: join(fixture, 'src/actions.ts'),
    module: app,
    serviceDir: dir,
  })
  const bundle = join(dir, '.servey/aws/stats/handler.mjs')
  bundleText = await readFile(bundle, 'utf8')
  ;({ handler: bundled } = (await import(pathToFileURL(bundle).href)) as {
    handler: LambdaHandler
  })
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const query = (values: Record<string, string | string[]>) =>
  httpApiEvent({ path: '/actions/stats', query: values })

describe('a bundle with precompiled validators', () => {
  it('carries its validators as code, found by kind and schema', () => {
    for (const kind of ['json', 'strings', 'result']) {
      expect(bundleText).toContain(`${kind} {`)
    }
  })

  it('answers exactly as a handler that compiles its validators', async () => {
    const compiling = createLambdaHandler({ actions: app, action: 'stats' })
    const events: unknown[] = [
      query({ n: '3' }),
      query({ n: '3', ratio: '0.25', exact: 'true', tags: ['a', 'b'] }),
      query({ n: '3', tags: 'one', since: '2026-12-06T21:00:00Z' }),
      query({ n: '0', ratio: 'x', exact: 'perhaps', tags: ['a', 'a', 'long'], since: 'today' }),
      query({ n: '3', ratio: '1e309' }),
      query({ n: '0x10' }),
      query({}),
      { params: { n: 2, ratio: 0.5 } },
      { params: { n: '2', tags: 'a' } },
    ]
    const answers = []
    for (const event of events) {
      const theirs = await compiling(event).catch((error: Error) => ({ thrown: error.message }))
      const mine = await bundled(event).catch((error: Error) => ({ thrown: error.message }))
      expect(mine).toEqual(theirs)
      answers.push(mine)
    }
    // The cases are the interesting ones: coerced successes, then refusals of each kind.
    expect(answers.map((answer) => (answer as { statusCode?: number }).statusCode)).toEqual([
      200,
      200,
      200,
      400,
      400,
      400,
      400,
      undefined,
      undefined,
    ])
    expect(JSON.parse((answers[1] as { body: string }).body)).toEqual({
      n: 3,
      ratio: 0.25,
      exact: true,
    })
    expect((answers[4] as { body: string }).body).toMatch(/must be a finite number/)
    expect(answers[7]).toEqual({ n: 2, ratio: 0.5, exact: false })
    expect(answers[8]).toEqual({ thrown: expect.stringMatching(/must be integer/) as unknown })
  })
})
