import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { fixture, PACKAGE_DIR, runServey } from '../test-support/servey-process.ts'

const app = fixture('run-handlers')
const STACK_FRAME = /^\s+at /m

interface Received {
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

let receiver: Server
let receiverUrl: string
const received: Received[] = []
let scratch: string
let traceFile: string

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      received.push({ headers: request.headers, body })
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notes`
  scratch = await mkdtemp(join(tmpdir(), 'servey-run-handlers-'))
})

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve))
  await rm(scratch, { recursive: true, force: true })
})

let runs = 0
beforeEach(() => {
  received.length = 0
  traceFile = join(scratch, `trace-${runs++}.txt`)
})

const trace = async (): Promise<string[]> =>
  (await readFile(traceFile, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '')

/** In process (REDIS_URL empty), with the local receiver allowed unless a test says otherwise. */
function run(action: string, text: string, env: Record<string, string | undefined> = {}) {
  return runServey(['run', `--action=${action}`, `--event=${JSON.stringify({ text })}`], {
    cwd: app,
    env: {
      REDIS_URL: '',
      NOTES_WEBHOOK_URL: receiverUrl,
      SERVEY_CALLBACK_ALLOWED_HOSTS: '127.0.0.1',
      SERVEY_CALLBACK_SECRET: 'run-handlers-secret',
      RUN_HANDLERS_TRACE: traceFile,
      LOG_LEVEL: 'error',
      ...env,
    },
    timeoutMs: 30_000,
  })
}

describe('servey run of an action whose channel has handlers', () => {
  it('runs the background actions in this process, one group after another, and the webhook, then exits 0', async () => {
    const result = await run('add_note', 'a')
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const id = JSON.parse(result.stdout) as string
    expect(typeof id).toBe('string')
    // The second group's job starts only once the slow first one has finished.
    expect(await trace()).toEqual(['first:a', 'second:a'])
    expect(received).toHaveLength(1)
    expect(JSON.parse(received[0]!.body)).toEqual({ text: 'a' })
    expect(received[0]!.headers['servey-event-id']).toBe(id)
  })

  it('exits 3 when a handler job fails, with the result on stdout and a coded line, no stack', async () => {
    const result = await run('add_note', 'refuse')
    expect(result.code).toBe(3)
    expect(typeof JSON.parse(result.stdout)).toBe('string')
    expect(result.stderr).toMatch(
      /^CONFLICT: the channel handler second_step \(job [\w-]+\) failed: second_step refuses 'refuse'$/m,
    )
    expect(result.stderr).not.toMatch(STACK_FRAME)
    // A failing group does not stop the later ones: the webhook was still delivered.
    expect(await trace()).toEqual(['first:refuse'])
    expect(received).toHaveLength(1)
  })

  it('exits 3 when the webhook is refused by the SSRF rules', async () => {
    const result = await run('add_note', 'b', {
      SERVEY_CALLBACK_ALLOWED_HOSTS: '',
      LOG_LEVEL: 'silent',
    })
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(
      /^BAD_REQUEST: the webhook of channel notes \(event \S+\) to http:\/\/127\.0\.0\.1:\d+\/notes failed: .+$/m,
    )
    expect(result.stderr).not.toMatch(STACK_FRAME)
    expect(await trace()).toEqual(['first:b', 'second:b'])
    expect(received).toHaveLength(0)
  })

  it("waits for the handlers of an action that published and then failed, and exits with the action's code", async () => {
    const result = await run('add_note_then_fail', 'c')
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe('CONFLICT: published, then refused\n')
    expect(await trace()).toEqual(['first:c', 'second:c'])
    expect(received).toHaveLength(1)
  })

  it("runs the showcase's place_order, whose channel's handlers are jobs", async () => {
    const result = await runServey(
      ['run', '--action=place_order', '--event={"id":"o-1","total":20,"express":true}'],
      {
        cwd: join(PACKAGE_DIR, '../../examples/showcase'),
        env: { REDIS_URL: '' },
        timeoutMs: 30_000,
      },
    )
    expect(result.stderr).not.toMatch(/UNAVAILABLE|ERROR/)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ event: expect.any(String) })
  })
})
