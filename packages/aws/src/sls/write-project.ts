import { existsSync } from 'node:fs'
import { cp, link, mkdir, mkdtemp, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Registry } from '@servey/core/adapter'
import { bundleFunctions } from './bundle.ts'
import { planFunctions, type FunctionPlan } from './function-plan.ts'
import { slsErrors } from './errors.ts'
import { includeDocument } from './include-document.ts'
import { JOBS_FUNCTION, webhookHandlersOf } from './jobs-plan.ts'
import { BUNDLE_DIR, INCLUDE_FILE, MAIN_FILE, PAGE_TEMPLATES_DIR } from './layout.ts'
import { checkMainFile, mainFileTemplate } from './main-file.ts'
import { checkNames } from './names.ts'
import { WEBSOCKET_ROUTES } from './websocket-plan.ts'
import { resolveSlsOptions, serviceNameFrom, type SlsOptions } from './options.ts'

export interface ServerlessProjectRequest {
  readonly registry: Registry
  /** Absolute path of the app's actions module, which each handler imports. */
  readonly entry: string
  /**
   * That module's namespace, as loaded for `registry`. With it, every function's validators
   * are generated as code into its bundle, so a cold start compiles no schema; without it,
   * each function compiles them on first use.
   */
  readonly module?: Readonly<Record<string, unknown>>
  /** The service folder: where serverless.yml is, or will be. */
  readonly serviceDir: string
  /** The app's `templates/` folder: bundled with every function that serves pages. */
  readonly templates?: string | undefined
  readonly options?: SlsOptions
}

export interface FunctionReport {
  readonly key: string
  readonly actions: readonly string[]
  readonly routes: readonly string[]
  readonly schedules: readonly string[]
  /** Size of its bundle in bytes. */
  readonly bytes: number
}

export interface ServerlessProjectReport {
  readonly service: string
  /** True when this run wrote serverless.yml (there was none). */
  readonly mainWritten: boolean
  /** False when an existing serverless.yml does not reference the include at all. */
  readonly mainReferencesInclude: boolean
  readonly functions: readonly FunctionReport[]
  readonly warnings: readonly string[]
}

interface PackageJson {
  readonly name?: string
  readonly devDependencies?: Record<string, string>
}

async function readPackageJson(dir: string): Promise<PackageJson> {
  try {
    return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageJson
  } catch {
    return {}
  }
}

/** Write a file whole or not at all: a scratch file in the same folder, then a rename. */
async function writeAtomically(path: string, text: string, options: { exclusive: boolean }) {
  const scratch = `${path}.tmp-${process.pid}-${Date.now()}`
  await writeFile(scratch, text)
  try {
    // link() fails if the file appeared meanwhile: a main file is never overwritten.
    if (options.exclusive) await link(scratch, path)
    else await rename(scratch, path)
  } finally {
    if (existsSync(scratch)) await unlink(scratch)
  }
}

/**
 * `servey sls`: check everything, bundle into a scratch folder, and only then put the results
 * in place, so a failure at any step leaves every file as it was. serverless.yml is written
 * only when missing; the include and the bundles are replaced on every run.
 */
export async function writeServerlessProject(
  request: ServerlessProjectRequest,
): Promise<ServerlessProjectReport> {
  const { registry, entry, serviceDir } = request
  const mainPath = join(serviceDir, MAIN_FILE)
  const mainText = existsSync(mainPath) ? await readFile(mainPath, 'utf8') : undefined
  const main = mainText === undefined ? undefined : checkMainFile(mainText)
  const pkg = await readPackageJson(serviceDir)
  const warnings: string[] = []
  const requested = request.options ?? {}
  if (
    main?.service !== undefined &&
    requested.service !== undefined &&
    requested.service !== main.service
  ) {
    warnings.push(
      `${MAIN_FILE} names the service '${main.service}', which stays: --service only applies to a new ${MAIN_FILE}`,
    )
  }
  const options = resolveSlsOptions(
    { ...requested, ...(main?.service === undefined ? {} : { service: main.service }) },
    { service: serviceNameFrom(pkg.name) },
  )
  const plan = planFunctions(registry, options)
  checkNames(
    options,
    plan.functions.map((fn) => fn.key),
  )
  warnings.push(...plan.warnings)
  if (
    webhookHandlersOf(registry).length > 0 &&
    !/^[^#\n]*\bSERVEY_CALLBACK_SECRET\s*:/m.test(mainText ?? '')
  ) {
    warnings.push(
      `${JOBS_FUNCTION}: webhooks are signed with SERVEY_CALLBACK_SECRET; set it under provider.environment in ${MAIN_FILE} (e.g. from SSM), or no webhook is sent`,
    )
  }
  const { templates } = request
  const withPages = plan.functions.filter((fn) => fn.pages === true)
  if (withPages.length > 0 && (templates === undefined || !existsSync(templates))) {
    throw slsErrors.SERVEY_ERR_SLS_TEMPLATES_MISSING((withPages[0] as FunctionPlan).key)
  }
  const include = includeDocument(plan, options)

  const bundleDir = join(serviceDir, BUNDLE_DIR)
  await mkdir(join(bundleDir, '..'), { recursive: true })
  const scratch = await mkdtemp(`${bundleDir}.tmp-`)
  let bundles
  try {
    bundles = await bundleFunctions(plan.functions, {
      entry,
      serviceDir,
      outDir: scratch,
      runtime: options.runtime,
      module: request.module,
    })
    // Lambda has no app folder to read pages from: each page function gets its own copy.
    for (const fn of withPages) {
      await cp(templates as string, join(scratch, fn.key, PAGE_TEMPLATES_DIR), { recursive: true })
    }
  } catch (error) {
    await rm(scratch, { recursive: true, force: true })
    throw error
  }
  const devOnly = new Set(Object.keys(pkg.devDependencies ?? {}))
  for (const bundle of bundles) {
    const dev = bundle.packages.filter((name) => devOnly.has(name))
    if (dev.length > 0) {
      warnings.push(
        `${bundle.key}: its bundle carries ${dev.join(', ')}, listed in devDependencies; move them to dependencies if the function needs them`,
      )
    }
  }

  if (main === undefined)
    await writeAtomically(mainPath, mainFileTemplate(options), { exclusive: true })
  await writeAtomically(join(serviceDir, INCLUDE_FILE), include, { exclusive: false })
  const previous = existsSync(bundleDir) ? `${scratch}.old` : undefined
  if (previous !== undefined) await rename(bundleDir, previous)
  await rename(scratch, bundleDir)
  if (previous !== undefined) await rm(previous, { recursive: true, force: true })

  return {
    service: options.service,
    mainWritten: main === undefined,
    mainReferencesInclude: main?.referencesInclude ?? true,
    functions: plan.functions.map((fn) => ({
      key: fn.key,
      actions: fn.actions.map((action) => action.name),
      routes: [
        ...fn.routes.map((route) => `${route.method} ${route.path}`),
        ...(fn.websocket === true ? WEBSOCKET_ROUTES.map((route) => `websocket ${route}`) : []),
      ],
      schedules: fn.schedules.map((schedule) => schedule.expression),
      bytes: bundles.find((bundle) => bundle.key === fn.key)?.bytes ?? 0,
    })),
    warnings,
  }
}
