import {
  ActionError,
  createInvoker,
  parseAllowedHosts,
  createRegistry,
  type Authenticator,
  type InvokePlugin,
  type Invoker,
  type Logger,
  type PrecompiledValidators,
} from '@servey/core'
import {
  createHttpHandler,
  problemResponse,
  type HealthOptions,
  type HttpHandler,
  type HttpJobsOptions,
  type HttpPagesOptions,
  REQUEST_ID_HEADER,
} from '@servey/http'
import { answerApiGateway } from './api-gateway-handler.ts'
import type { FetchHandler, FetchRoutes } from './fetch-route.ts'
import { authenticatorFromEnv } from './authenticator-from-env.ts'
import { invokeDirect } from './direct-invocation.ts'
import { createLambdaWebsocket } from './lambda-websocket.ts'
import { eventKindOf, type EventKind } from './event-kind.ts'
import { LambdaInvocationError } from './invocation-error.ts'
import type { LambdaContext } from './lambda-context.ts'
import { createLambdaLogger } from './lambda-logger.ts'
import { runScheduled } from './scheduled-run.ts'
import { createLambdaChannelHub } from './lambda-channel-hub.ts'
import { consumeSqs } from '../sqs/consume-sqs.ts'
import {
  jobQueuesOf,
  jobQueueSettingsFromEnv,
  type JobQueueSettings,
} from '../sqs/job-queue-settings.ts'
import { createSqsJobRunner } from '../sqs/sqs-job-runner.ts'
import { createSqsWebhookSender } from '../sqs/sqs-webhook-sender.ts'

export interface LambdaHandlerOptions {
  /** The app's actions, as `createRegistry` takes them: a module namespace, objects, arrays. */
  readonly actions: unknown
  /** The one action of a per-action function; leave it out for a router function. */
  readonly action?: string
  /**
   * Validators generated from the actions' schemas at build time (`servey sls` bundles them):
   * passed to `createRegistry`, so a cold start compiles none of the schemas they cover.
   */
  readonly validators?: PrecompiledValidators
  /** Default `process.env`: JWT_* settings and LOG_LEVEL are read from it. */
  readonly env?: NodeJS.ProcessEnv
  /**
   * Verifies bearer tokens. Default: from JWT_SECRET_KEY, JWT_PUBLIC_KEY or JWT_JWKS_URL, as
   * `servey start` reads them, or JWT_KMS_KEY_ID; with none set, no token is accepted (401
   * `no_authenticator`).
   */
  readonly authenticator?: Authenticator
  readonly plugins?: readonly InvokePlugin[]
  /** Default: JSON lines on stdout (CloudWatch Logs), at LOG_LEVEL. */
  readonly log?: Logger
  /**
   * API Gateway calls with `Prefer: respond-async` or callback headers run as jobs on this
   * runner and answer 202 with `Location: /jobs/<id>`. Without it they run in the request.
   */
  readonly jobs?: HttpJobsOptions | ((invoker: Invoker) => HttpJobsOptions)
  /** Serve page triggers as HTML from these templates (bundled with the function). */
  readonly pages?: HttpPagesOptions
  /** Show masked error messages and stacks in problem bodies. Default false. */
  readonly dev?: boolean
  /** Largest accepted request body in bytes. Default 1 MiB, as `servey start`. */
  readonly bodyLimit?: number
  /**
   * `GET /health` and `GET /ready` through API Gateway, answered as `servey start` answers
   * them (docs/reference/health.md); `readiness` is asked on every `/ready` (default: always
   * ready). `false` leaves them to the app's routes (a 404). Default on.
   */
  readonly health?: HealthOptions | false
  /**
   * Paths answered by a fetch handler made from the invoker, e.g. GraphQL from the same
   * function: `{ '/graphql': (invoker) => createServeyYoga({ invoker }) }`.
   */
  readonly fetchRoutes?: FetchRoutes
  /**
   * Background jobs on SQS: channel handlers' jobs and webhook deliveries are sent to
   * `queueUrl`, and an `sqs` event runs them. Default from SERVEY_JOBS_QUEUE_URL,
   * SERVEY_JOBS_DLQ_URL and SERVEY_JOBS_MAX_MESSAGE_BYTES, which `servey sls` sets. Webhooks
   * are signed with SERVEY_CALLBACK_SECRET and checked against SERVEY_CALLBACK_ALLOWED_HOSTS,
   * as on a server.
   */
  readonly jobQueue?: JobQueueSettings
}

export type LambdaHandler = (event: unknown, context?: LambdaContext) => Promise<unknown>

/**
 * One Lambda handler for every event shape a Servey function receives: it looks at the event,
 * translates it in, calls core's invoker, and translates the outcome out. The registry is built
 * at import (validators compile on first use, so init stays short); the token keys are loaded
 * on the first event, once.
 */
export function createLambdaHandler(options: LambdaHandlerOptions): LambdaHandler {
  const env = options.env ?? process.env
  const log = options.log ?? createLambdaLogger(env)
  // The bundle's schemas were checked against the meta-schema by `servey sls`, which loads the
  // app eagerly: checking them again would cost every cold start about 35 ms.
  const registry = createRegistry(options.actions, {
    compile: 'lazy',
    checkSchemas: false,
    ...(options.validators === undefined ? {} : { validators: options.validators }),
  })
  if (options.action !== undefined && registry.get(options.action) === undefined) {
    throw new ActionError('UNKNOWN_ACTION', `No action is named '${options.action}'`)
  }
  const queues = jobQueuesOf(options.jobQueue ?? jobQueueSettingsFromEnv(env))
  const jobRunner = queues.queue === undefined ? undefined : createSqsJobRunner(queues.queue)
  const websocket = createLambdaWebsocket(registry, env, log)
  const channels = createLambdaChannelHub(registry, {
    log,
    jobs: jobRunner,
    webhooks: queues.queue === undefined ? undefined : createSqsWebhookSender(queues.queue),
    ...(websocket === undefined ? {} : { backend: websocket.backend }),
  })
  // A function with no action and no channel (servey sls's servey_health) has nothing a token
  // could authorize: it loads no key, so a probe never waits on KMS or a JWKS URL, nor fails
  // on a key setting that only the app's functions use.
  const authorizes = registry.actions.length > 0 || registry.channels.length > 0
  let ready: Promise<Invoker> | undefined
  const invokerReady = (): Promise<Invoker> =>
    (ready ??= (async () => {
      const authenticator =
        options.authenticator ?? (authorizes ? await authenticatorFromEnv(env) : undefined)
      return createInvoker(registry, {
        log,
        ...(channels === undefined ? {} : { channels }),
        ...(authenticator === undefined ? {} : { authenticator }),
        ...(options.plugins === undefined ? {} : { plugins: options.plugins }),
      })
    })())

  let http: HttpHandler | undefined
  const httpOf = (invoker: Invoker): HttpHandler =>
    (http ??= createHttpHandler({
      invoker,
      ...(options.jobs === undefined
        ? {}
        : { jobs: typeof options.jobs === 'function' ? options.jobs(invoker) : options.jobs }),
      ...(options.pages === undefined ? {} : { pages: options.pages }),
      ...(options.dev === undefined ? {} : { dev: options.dev }),
      ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
      ...(options.health === false ? {} : { health: options.health ?? {} }),
    }))
  let fetchHandlers: ReadonlyMap<string, FetchHandler> | undefined
  const fetchRoutesOf = (invoker: Invoker): ReadonlyMap<string, FetchHandler> | undefined => {
    if (options.fetchRoutes === undefined) return undefined
    return (fetchHandlers ??= new Map(
      Object.entries(options.fetchRoutes).map(([path, make]) => [path, make(invoker)]),
    ))
  }
  const gateway =
    (version: 1 | 2) =>
    (event: Record<string, unknown>, invoker: Invoker, requestId: string | undefined) =>
      answerApiGateway(
        event,
        version,
        {
          http: httpOf(invoker),
          action: options.action,
          log,
          fetchRoutes: fetchRoutesOf(invoker),
        },
        requestId,
      )

  const handlers: Partial<
    Record<
      EventKind,
      (
        event: Record<string, unknown>,
        invoker: Invoker,
        requestId: string | undefined,
      ) => Promise<unknown>
    >
  > = {
    direct: (event, invoker, requestId) =>
      invokeDirect(event, { invoker, action: options.action, log, requestId }),
    'api-gateway-v1': gateway(1),
    'api-gateway-v2': gateway(2),
    schedule: (event, invoker, requestId) =>
      runScheduled(event, { invoker, action: options.action, log, requestId }),
    sqs: (event, invoker, requestId) =>
      consumeSqs(
        event,
        {
          invoker,
          log,
          queue: queues.queue,
          deadLetterQueue: queues.deadLetterQueue,
          webhooks: {
            secret: env['SERVEY_CALLBACK_SECRET'],
            policy: { allowedHosts: parseAllowedHosts(env['SERVEY_CALLBACK_ALLOWED_HOSTS']) },
          },
        },
        requestId,
      ),
    ...(websocket === undefined || channels === undefined
      ? {}
      : {
          websocket: (event, invoker, requestId) =>
            websocket.answer(event, channels, (header) => invoker.authenticate(header), requestId),
        }),
  }

  return async (event, context) => {
    const requestId = context?.awsRequestId
    const kind = eventKindOf(event)
    const handle = handlers[kind]
    if (handle === undefined) {
      throw new LambdaInvocationError(
        new ActionError('BAD_REQUEST', `This function does not handle ${kind} events`),
        requestId,
      )
    }
    let invoker: Invoker
    try {
      invoker = await invokerReady()
    } catch (thrown) {
      // The token keys did not load (a JWKS URL that does not answer, a KMS key refused):
      // retried on the next event, and an HTTP caller gets a 500 problem, not a 502.
      ready = undefined
      if (kind !== 'api-gateway-v1' && kind !== 'api-gateway-v2') throw thrown
      log.error({ err: thrown, requestId }, 'The function could not start')
      const error = new ActionError('INTERNAL', 'The function could not start', { cause: thrown })
      const { status, headers, body } = problemResponse(
        error,
        { requestId },
        requestId === undefined ? {} : { [REQUEST_ID_HEADER]: requestId },
      )
      return { statusCode: status, headers, body: body ?? '', isBase64Encoded: false }
    }
    return handle(event as Record<string, unknown>, invoker, requestId)
  }
}
