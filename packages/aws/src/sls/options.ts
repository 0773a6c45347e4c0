import { slsErrors } from './errors.ts'

export const RUNTIMES = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'] as const
export type Runtime = (typeof RUNTIMES)[number]

/** `httpApi`: API Gateway HTTP API (payload v2). `rest`: a REST API (`http` events, v1). */
export const APIS = ['httpApi', 'rest'] as const
export type ApiKind = (typeof APIS)[number]

export interface SlsOptions {
  /** The service name. Default: the package.json name, made valid (`@acme/shop` → `acme-shop`). */
  readonly service?: string
  /** Only used to check that function and role names fit AWS's limits. Default `dev`. */
  readonly stage?: string
  /** Default `us-east-1`. */
  readonly region?: string
  /** Default `nodejs22.x`. */
  readonly runtime?: Runtime
  /** Default `httpApi`. */
  readonly api?: ApiKind
  /** One function (`servey_router`) for every action. Actions made in a loop always share it. */
  readonly router?: boolean
  /** MB per function, 128 to 10240. Default 1024 (Serverless's default). */
  readonly memory?: number
  /** Origins allowed by CORS, or `*`; default none (no CORS headers). */
  readonly cors?: readonly string[]
  /** Sign and verify tokens with an AWS KMS key that the stack creates. */
  readonly kms?: boolean
  /**
   * One more function, `servey_graphql`, serving `GET/POST /graphql` with yoga on the same
   * schema as the server (the app needs `@servey/graphql`). Default false.
   */
  readonly graphql?: boolean
  /**
   * One more function, `servey_health`, serving `GET`/`HEAD /health` and `/ready` with no app
   * code (docs/reference/health.md). Default true; `false` (`--no-health`) leaves it out.
   */
  readonly health?: boolean
}

export type ResolvedSlsOptions = Required<Omit<SlsOptions, 'service'>> & {
  readonly service: string
}

export const OPTION_NAMES: readonly (keyof SlsOptions)[] = [
  'service',
  'stage',
  'region',
  'runtime',
  'api',
  'router',
  'memory',
  'cors',
  'kms',
  'graphql',
  'health',
]

const invalid = (option: string, value: unknown, why: string): never => {
  throw slsErrors.SERVEY_ERR_SLS_OPTION_INVALID(option, String(value), why)
}

function checkOrigin(origin: string): string {
  if (origin === '*') return origin
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return invalid('CORS origin', origin, 'give an origin such as https://app.example.com, or *')
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.origin !== origin.replace(/\/$/, '')) {
    return invalid(
      'CORS origin',
      origin,
      'give a scheme and host only, such as https://app.example.com',
    )
  }
  return url.origin
}

/**
 * A service name from a package name: what CloudFormation accepts for a stack name (letters,
 * digits and hyphens, starting with a letter). Only a name the user did not choose is changed;
 * a `--service` that AWS would refuse is an error.
 */
export function serviceNameFrom(packageName: string | undefined): string {
  const cleaned = (packageName ?? '')
    .replace(/^@/, '')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^[^A-Za-z]+/, '')
    .replace(/-+/g, '-')
    .replace(/-$/, '')
  return cleaned.length >= 2 ? cleaned.slice(0, 40).replace(/-$/, '') : 'servey-app'
}

/** Every option checked and defaulted; an unknown key is a coded error, not ignored. */
export function resolveSlsOptions(
  options: SlsOptions & Record<string, unknown>,
  defaults: { readonly service: string },
): ResolvedSlsOptions {
  for (const key of Object.keys(options)) {
    if (!(OPTION_NAMES as readonly string[]).includes(key) && options[key] !== undefined) {
      throw slsErrors.SERVEY_ERR_SLS_OPTION_UNKNOWN(key, ` (known: ${OPTION_NAMES.join(', ')})`)
    }
  }
  const runtime = options.runtime ?? 'nodejs22.x'
  if (!(RUNTIMES as readonly string[]).includes(runtime)) {
    invalid('runtime', runtime, `use one of ${RUNTIMES.join(', ')}`)
  }
  const api = options.api ?? 'httpApi'
  if (!(APIS as readonly string[]).includes(api)) invalid('api', api, 'use httpApi or rest')
  const memory = options.memory ?? 1024
  if (!Number.isInteger(memory) || memory < 128 || memory > 10240) {
    invalid('memory', memory, 'give whole MB from 128 to 10240')
  }
  const region = options.region ?? 'us-east-1'
  if (!/^[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d$/.test(region)) {
    invalid('region', region, 'give an AWS region such as us-east-1 or eu-west-3')
  }
  return {
    service: options.service ?? defaults.service,
    stage: options.stage ?? 'dev',
    region,
    runtime,
    api,
    router: options.router ?? false,
    memory,
    cors: (options.cors ?? []).map(checkOrigin),
    kms: options.kms ?? false,
    graphql: options.graphql ?? false,
    health: options.health ?? true,
  }
}
