import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from '../lib/stats.ts'
import { formatTable } from '../lib/table.ts'

export interface LambdaBenchSettings {
  readonly runs: number
  /**
   * `hello`: examples/hello as it is. `channels`: the same say_hello beside an event channel
   * with a background-action handler, so every function's bundle carries the channels' code
   * (the SQS job runner, the websocket backend), as `servey sls` bundles an app with channels.
   * `health`: examples/hello's `servey_health` bundle (the probes, no app code) answering
   * GET /health, so its init can be set beside say_hello's.
   */
  readonly app?: 'hello' | 'channels' | 'health'
}

export const DEFAULT_LAMBDA_SETTINGS: LambdaBenchSettings = { runs: 15, app: 'hello' }

/** The `channels` app: written next to examples/hello's actions for the run, then removed. */
const CHANNELS_APP = `import { action, channel, Type } from '@servey/core'
export { say_hello } from './actions.ts'

const Order = Type.Object({ id: Type.String(), total: Type.Number() })

export const ship = action({ params: Order, result: Type.Null() }, () => null)

export const orders = channel('orders', {
  payload: Order,
  handlers: [{ action: ship, scopes: ['warehouse'] }],
})
`

/** Issue goals: the init a Servey bundle adds over a bare handler, and its size. */
export const LAMBDA_INIT_GOAL_MS = 100
export const LAMBDA_BUNDLE_GOAL_BYTES = 1024 * 1024

interface Sample {
  /** In the fresh process: from just before `import()` to the first response. */
  readonly initMs: number
  /**
   * CPU time the process used over the same span, user and system, all its threads (V8's
   * background compilers and GC included), from `process.cpuUsage()` (getrusage): unlike wall
   * time, it hardly grows when other processes compete for the cores.
   */
  readonly initCpuMs: number
  /** From spawn to exit, as a cold start's wall time would include Node's own boot. */
  readonly wallMs: number
}

export interface LambdaSide {
  readonly medianInitMs: number
  readonly medianInitCpuMs: number
  readonly medianWallMs: number
  readonly samples: readonly Sample[]
}

export interface LambdaReport {
  readonly settings: LambdaBenchSettings
  readonly bundleBytes: number
  readonly servey: LambdaSide
  readonly bare: LambdaSide
  readonly answer: string
}

const HELLO_DIR = fileURLToPath(new URL('../../../examples/hello/', import.meta.url))
const SERVEY_BIN = `${HELLO_DIR}node_modules/.bin/servey`
const AWS_SDK_DIR = fileURLToPath(
  new URL('../../../packages/aws/node_modules/@aws-sdk', import.meta.url),
)

/** An HTTP API (v2) event for GET /actions/say-hello?name=World, as API Gateway sends it. */
const EVENT = {
  version: '2.0',
  routeKey: 'GET /actions/say-hello',
  rawPath: '/actions/say-hello',
  rawQueryString: 'name=World',
  headers: { accept: 'application/json', host: 'abc.execute-api.eu-west-1.amazonaws.com' },
  queryStringParameters: { name: 'World' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'abc',
    domainName: 'abc.execute-api.eu-west-1.amazonaws.com',
    domainPrefix: 'abc',
    http: {
      method: 'GET',
      path: '/actions/say-hello',
      protocol: 'HTTP/1.1',
      sourceIp: '192.0.2.1',
      userAgent: 'bench',
    },
    requestId: 'bench-request',
    routeKey: 'GET /actions/say-hello',
    stage: '$default',
    time: '05/Dec/2026:17:00:00 +0000',
    timeEpoch: 1796490000000,
  },
  isBase64Encoded: false,
}

/** The same event for GET /health, the path servey sls routes to servey_health. */
const HEALTH_EVENT = {
  ...EVENT,
  routeKey: 'GET /health',
  rawPath: '/health',
  rawQueryString: '',
  queryStringParameters: undefined,
  requestContext: {
    ...EVENT.requestContext,
    http: { ...EVENT.requestContext.http, path: '/health' },
    routeKey: 'GET /health',
  },
}

/** What each app's run measures: the function's bundle folder and the event it answers. */
const TARGETS = {
  hello: { fn: 'say_hello', event: EVENT, request: 'GET /actions/say-hello?name=World' },
  channels: { fn: 'say_hello', event: EVENT, request: 'GET /actions/say-hello?name=World' },
  health: { fn: 'servey_health', event: HEALTH_EVENT, request: 'GET /health' },
} as const

const CONTEXT = {
  functionName: 'say_hello',
  awsRequestId: 'bench-request',
  getRemainingTimeInMillis: () => 6000,
}

/**
 * The script each fresh process runs: import the handler module, answer one event, print the
 * time from before the import to the answer. Both sides run the same script, so Node's boot
 * and the measuring itself cancel out of the difference.
 */
function probeScript(modulePath: string, event: object): string {
  return `
const started = performance.now()
const cpuStarted = process.cpuUsage()
const { handler } = await import(${JSON.stringify(modulePath)})
const context = ${JSON.stringify(CONTEXT)}
context.getRemainingTimeInMillis = () => 6000
const response = await handler(${JSON.stringify(event)}, context)
const initMs = performance.now() - started
const cpu = process.cpuUsage(cpuStarted)
const initCpuMs = (cpu.user + cpu.system) / 1000
process.stdout.write('\\n' + ${JSON.stringify(RESULT_MARK)} + JSON.stringify({ initMs, initCpuMs, status: response.statusCode, body: response.body }) + '\\n')
`
}

/** The handler's logger also writes to stdout: the probe's line is the one with this mark. */
const RESULT_MARK = 'servey-bench-result '

const BARE_HANDLER = `export const handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: '"Hello World!"',
})
`

function runOnce(modulePath: string, event: object = EVENT): Sample & { answer: string } {
  const started = performance.now()
  const result = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', probeScript(modulePath, event)],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        JWT_SECRET_KEY: 'a-bench-secret-of-at-least-32-bytes!',
      },
    },
  )
  const wallMs = performance.now() - started
  if (result.error !== undefined) throw result.error
  if (result.status !== 0) {
    throw new Error(`the handler process failed (exit ${result.status}):\n${result.stderr}`)
  }
  const line = result.stdout.split('\n').find((text) => text.startsWith(RESULT_MARK))
  if (line === undefined)
    throw new Error(`the handler process printed no result:\n${result.stdout}`)
  const printed = JSON.parse(line.slice(RESULT_MARK.length)) as {
    initMs: number
    initCpuMs: number
    status: number
    body: string
  }
  if (printed.status !== 200)
    throw new Error(`the handler answered ${printed.status}: ${printed.body}`)
  return { initMs: printed.initMs, initCpuMs: printed.initCpuMs, wallMs, answer: printed.body }
}

function findBundle(dir: string): string {
  const found = readdirSync(dir, { recursive: true, encoding: 'utf8' }).find((file) =>
    file.endsWith('handler.mjs'),
  )
  if (found === undefined) throw new Error(`servey sls wrote no handler.mjs under ${dir}`)
  return join(dir, found)
}

function side(samples: readonly Sample[]): LambdaSide {
  return {
    medianInitMs: median(samples.map((sample) => sample.initMs)),
    medianInitCpuMs: median(samples.map((sample) => sample.initCpuMs)),
    medianWallMs: median(samples.map((sample) => sample.wallMs)),
    samples,
  }
}

/**
 * Cold init of the say_hello bundle that `servey sls` writes for examples/hello, against a bare
 * handler returning the same constant answer: a fresh Node process per run, runs interleaved.
 */
export function runLambdaBench(settings: LambdaBenchSettings): LambdaReport {
  if (!existsSync(SERVEY_BIN)) {
    throw new Error(`${SERVEY_BIN} is missing: run pnpm install at the repository root first`)
  }
  const dir = mkdtempSync(join(tmpdir(), 'servey-bench-lambda-'))
  try {
    const args = ['sls', `--dir=${dir}`]
    const channelsEntry = join(HELLO_DIR, 'src', 'bench-channels-actions.ts')
    if (settings.app === 'channels') {
      writeFileSync(channelsEntry, CHANNELS_APP)
      args.push(`--entry=${channelsEntry}`)
    }
    let sls
    try {
      sls = spawnSync(SERVEY_BIN, args, { cwd: HELLO_DIR, encoding: 'utf8' })
    } finally {
      rmSync(channelsEntry, { force: true })
    }
    if (sls.status !== 0) throw new Error(`servey sls failed:\n${sls.stdout}${sls.stderr}`)
    const target = TARGETS[settings.app ?? 'hello']
    const bundle = findBundle(join(dir, '.servey', 'aws', target.fn))
    // Bundles leave the AWS SDK v3 to the Lambda runtime, which provides it; an app with
    // channels imports it at init. Here it resolves from @servey/aws's own copy.
    mkdirSync(join(dir, 'node_modules'))
    symlinkSync(AWS_SDK_DIR, join(dir, 'node_modules', '@aws-sdk'))
    const bare = join(dir, 'bare-handler.mjs')
    writeFileSync(bare, BARE_HANDLER)

    // Unmeasured: checks both answer, and warms the file system cache.
    const check = runOnce(bundle, target.event)
    runOnce(bare)

    const serveySamples: Sample[] = []
    const bareSamples: Sample[] = []
    for (let run = 0; run < settings.runs; run++) {
      bareSamples.push(runOnce(bare))
      serveySamples.push(runOnce(bundle, target.event))
    }
    return {
      settings,
      bundleBytes: statSync(bundle).size,
      servey: side(serveySamples),
      bare: side(bareSamples),
      answer: check.answer,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function formatLambdaReport(report: LambdaReport): string {
  const addedInit = report.servey.medianInitMs - report.bare.medianInitMs
  const addedCpu = report.servey.medianInitCpuMs - report.bare.medianInitCpuMs
  const kib = report.bundleBytes / 1024
  const app = report.settings.app ?? 'hello'
  const target = TARGETS[app]
  const row = (label: string, value: LambdaSide) => [
    label,
    `${value.medianInitMs.toFixed(1)} ms`,
    `${value.medianInitCpuMs.toFixed(1)} ms`,
    `${value.medianWallMs.toFixed(0)} ms`,
  ]
  return [
    `Lambda init (app ${app}): median of ${report.settings.runs} interleaved fresh processes, HTTP API v2 event for ${target.request} (answer ${report.answer})`,
    formatTable(
      ['handler', 'import → first response', 'its CPU time', 'process wall time'],
      [row(`servey sls bundle (${target.fn})`, report.servey), row('bare handler', report.bare)],
    ),
    `init added by Servey: ${addedInit.toFixed(1)} ms (goal ≤ ${LAMBDA_INIT_GOAL_MS} ms) ${addedInit <= LAMBDA_INIT_GOAL_MS ? 'met' : 'MISSED'}; CPU time added: ${addedCpu.toFixed(1)} ms (user + system, every thread; not the goal's measure, but less swayed by other processes)`,
    `bundle: ${kib.toFixed(0)} KiB (goal ≤ ${LAMBDA_BUNDLE_GOAL_BYTES / 1024} KiB) ${report.bundleBytes <= LAMBDA_BUNDLE_GOAL_BYTES ? 'met' : 'MISSED'}`,
  ].join('\n')
}
