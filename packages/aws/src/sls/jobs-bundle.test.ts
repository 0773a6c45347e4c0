import { cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRegistry } from '@servey/core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as app from '../../test-fixtures/jobs-app/src/actions.ts'
import { sqsRecord } from '../sqs/sqs-events.fixture.ts'
import { writeServerlessProject } from './write-project.ts'

// Bundling the fixture app with esbuild takes seconds on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 })

const fixture = fileURLToPath(new URL('../../test-fixtures/jobs-app/', import.meta.url))

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'servey-sls-jobs-'))
  await cp(join(fixture, 'package.json'), join(dir, 'package.json'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('the bundled servey_jobs consumer', () => {
  it('runs a channel handler job from an SQS record, as servey sls bundles it', async () => {
    const report = await writeServerlessProject({
      registry: createRegistry(app),
      entry: join(fixture, 'src/actions.ts'),
      serviceDir: dir,
    })
    expect(report.functions.map((fn) => fn.key)).toContain('servey_jobs')

    const shipped = join(dir, 'shipped.txt')
    process.env['SHIPPED_FILE'] = shipped
    process.env['LOG_LEVEL'] = 'silent'
    // The bundle is what Lambda runs: import it as the runtime does and hand it an SQS batch.
    const bundle = join(dir, '.servey/aws/servey_jobs/handler.mjs')
    const { handler } = (await import(pathToFileURL(bundle).href)) as {
      handler: (event: unknown) => Promise<unknown>
    }
    const job = JSON.stringify({
      servey: 'job',
      v: 1,
      id: 'orders:1-0:ship',
      action: 'ship',
      params: { id: 'o1', total: 42 },
      authorization: { kind: 'system', scopes: ['warehouse'] },
      requestId: 'orders:1-0:ship',
      attempt: 1,
    })
    // A record that is not a Servey job is logged and dropped, never failing the batch.
    const result = await handler({ Records: [sqsRecord(job), sqsRecord('not a job')] })
    expect(result).toEqual({ batchItemFailures: [] })
    expect(await readFile(shipped, 'utf8')).toBe('o1:42:warehouse\n')
  })
})
