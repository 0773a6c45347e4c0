import { cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRegistry } from '@servey/core'
import { startReceiver } from '@servey/testing/webhook-receiver'
import { verifyCallbackSignature } from '@servey/webhooks'
import { parse } from 'yaml'
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
  it('runs a channel handler job and delivers a webhook from SQS records, as servey sls bundles it', async () => {
    const report = await writeServerlessProject({
      registry: createRegistry(app),
      entry: join(fixture, 'src/actions.ts'),
      serviceDir: dir,
    })
    expect(report.functions.map((fn) => fn.key)).toContain('servey_jobs')
    // Without the signing key in serverless.yml, no webhook could be verified: said up front.
    expect(report.warnings).toContainEqual(
      'servey_jobs: webhooks are signed with SERVEY_CALLBACK_SECRET; set it under provider.environment in serverless.yml (e.g. from SSM), or no webhook is sent',
    )
    const include = parse(await readFile(join(dir, 'serverless.servey.yml'), 'utf8')) as {
      functions: Record<string, { timeout: number; description: string }>
      resources: { Resources: Record<string, { Properties: Record<string, any> }> }
    }
    // The webhook's 20 s attempt sets the consumer's timeout; its default 5 tries the redrive.
    expect(include.functions['servey_jobs']).toMatchObject({
      timeout: 21,
      description: "Servey background jobs and webhooks: the channels' handlers, from SQS",
    })
    expect(include.resources.Resources['ServeyJobsQueue']?.Properties).toMatchObject({
      VisibilityTimeout: 126,
      RedrivePolicy: { maxReceiveCount: 7 },
    })

    const receiver = await startReceiver()
    const shipped = join(dir, 'shipped.txt')
    process.env['SHIPPED_FILE'] = shipped
    process.env['LOG_LEVEL'] = 'silent'
    process.env['SERVEY_CALLBACK_SECRET'] = 'bundle-test-signing-key'
    process.env['SERVEY_CALLBACK_ALLOWED_HOSTS'] = '127.0.0.1'
    try {
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
      const webhook = JSON.stringify({
        servey: 'webhook',
        v: 1,
        id: 'w-1',
        attempt: 1,
        delivery: {
          url: receiver.url,
          headers: {},
          envelope: { channel: 'orders', id: '1-0', event: { id: 'o1', total: 42 } },
        },
      })
      // A record that is not a Servey job is logged and dropped, never failing the batch.
      const result = await handler({
        Records: [sqsRecord(job), sqsRecord(webhook), sqsRecord('not a job')],
      })
      expect(result).toEqual({ batchItemFailures: [] })
      expect(await readFile(shipped, 'utf8')).toBe('o1:42:warehouse\n')
      expect(receiver.calls).toHaveLength(1)
      const [call] = receiver.calls
      expect(JSON.parse(call!.body)).toEqual({ id: 'o1', total: 42 })
      expect(call!.headers['servey-event-id']).toBe('1-0')
      expect(
        verifyCallbackSignature(
          'bundle-test-signing-key',
          call!.body,
          call!.headers['servey-signature'] as string,
        ),
      ).toBe(true)
    } finally {
      delete process.env['SERVEY_CALLBACK_SECRET']
      delete process.env['SERVEY_CALLBACK_ALLOWED_HOSTS']
      await receiver.close()
    }
  })
})
