import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { precompileValidators, type PrecompiledValidatorsModule } from '@servey/core/precompile'
import type { FunctionPlan } from './function-plan.ts'
import { handlerEntrySource } from './handler-entry.ts'
import { BUNDLE_FILE } from './layout.ts'
import { slsErrors } from './errors.ts'
import type { Runtime } from './options.ts'

export interface BundleReport {
  readonly key: string
  /** Size of the handler module in bytes. */
  readonly bytes: number
  /** Packages whose code the bundle carries, by name. */
  readonly packages: readonly string[]
}

/**
 * This package's runtime entry, resolved next to this module: `.ts` in the workspace, `.js`
 * once built. Every bundle then runs the runtime of the generator that wrote its config.
 */
const fromSource = import.meta.url.endsWith('.ts')

function runtimeEntry(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', `index${fromSource ? '.ts' : '.js'}`)
}

/** The package a bundled file belongs to: the name after its last `node_modules/`. */
function packageOf(input: string): string | undefined {
  const matches = [...input.replaceAll('\\', '/').matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)]
  return matches.at(-1)?.[1]
}

const ENTRY_NAMESPACE = 'servey-lambda-entry'
const VALIDATORS_NAMESPACE = 'servey-lambda-validators'
const NO_PAGES_NAMESPACE = 'servey-lambda-no-pages'

/**
 * What `nunjucks` resolves to in a function that serves no page. @servey/http's page renderer
 * imports nunjucks, but only a handler given `pages` ever constructs one, and a generated
 * handler passes `pages` only to a function that serves them: the others carry none of its
 * 87 KiB (nor chokidar, which it requires), and never parse or evaluate it at a cold start.
 */
const NO_PAGES_MODULE = `function missing() {
  throw new Error('servey sls bundled this function without nunjucks: it serves no page')
}
module.exports = { FileSystemLoader: missing, Environment: missing }
`

/** What the handler of a function passes to `createLambdaHandler` as its `actions`. */
function actionsOf(plan: FunctionPlan, module: Readonly<Record<string, unknown>>) {
  return Object.fromEntries(plan.imports.map((name) => [name, module[name]]))
}

/**
 * Bundle each function's handler with esbuild: ESM for Node, tree-shaken, minified, with only
 * what its actions import. The AWS SDK v3 is left out: every Node.js Lambda runtime has it.
 * One esbuild run builds every function (the app is parsed once); without code splitting each
 * output is still a standalone module, `outDir/<key>/handler.mjs`.
 */
export async function bundleFunctions(
  plans: readonly FunctionPlan[],
  options: {
    readonly entry: string
    readonly serviceDir: string
    readonly outDir: string
    readonly runtime: Runtime
    /**
     * The app module's namespace, as the handlers import it. With it, each function's validators
     * are compiled now, to code in its bundle (core's `precompileValidators`), and its registry
     * compiles no schema at a cold start.
     */
    readonly module?: Readonly<Record<string, unknown>> | undefined
  },
): Promise<BundleReport[]> {
  if (plans.length === 0) return []
  const { build } = await import('esbuild')
  const { module } = options
  const validators = new Map<string, PrecompiledValidatorsModule>()
  if (module !== undefined) {
    for (const plan of plans.filter((each) => each.health !== true))
      validators.set(plan.key, precompileValidators(actionsOf(plan, module)))
  }
  const sources = new Map(
    plans.map((plan) => [
      plan.key,
      handlerEntrySource(plan, {
        entry: options.entry,
        runtime: runtimeEntry(),
        ...(validators.has(plan.key) ? { validators: `${VALIDATORS_NAMESPACE}:${plan.key}` } : {}),
      }),
    ]),
  )

  // One esbuild run for a group of functions: the app is parsed once per group.
  async function buildGroup(group: readonly FunctionPlan[], pages: boolean) {
    let result
    try {
      result = await build({
        entryPoints: group.map((plan) => ({
          in: `${ENTRY_NAMESPACE}:${plan.key}`,
          out: `${plan.key}/${BUNDLE_FILE.replace(/\.mjs$/, '')}`,
        })),
        outdir: options.outDir,
        outExtension: { '.js': '.mjs' },
        plugins: [
          {
            name: 'servey-lambda-entries',
            setup(plugin) {
              plugin.onResolve({ filter: new RegExp(`^${ENTRY_NAMESPACE}:`) }, (args) => ({
                path: args.path.slice(ENTRY_NAMESPACE.length + 1),
                namespace: ENTRY_NAMESPACE,
              }))
              plugin.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, (args) => ({
                contents: sources.get(args.path) ?? '',
                resolveDir: options.serviceDir,
                loader: 'ts',
              }))
              // Each function's precompiled validators: CommonJS whose require() calls (Ajv's
              // runtime helpers, ajv-formats) resolve from @servey/core.
              plugin.onResolve({ filter: new RegExp(`^${VALIDATORS_NAMESPACE}:`) }, (args) => ({
                path: args.path.slice(VALIDATORS_NAMESPACE.length + 1),
                namespace: VALIDATORS_NAMESPACE,
              }))
              plugin.onLoad({ filter: /.*/, namespace: VALIDATORS_NAMESPACE }, (args) => {
                const generated = validators.get(args.path)
                return {
                  contents: generated?.code ?? 'module.exports = {}',
                  ...(generated === undefined ? {} : { resolveDir: generated.resolveDir }),
                  loader: 'js',
                }
              })
              if (pages) return
              plugin.onResolve({ filter: /^nunjucks$/ }, () => ({
                path: 'nunjucks',
                namespace: NO_PAGES_NAMESPACE,
              }))
              plugin.onLoad({ filter: /.*/, namespace: NO_PAGES_NAMESPACE }, () => ({
                contents: NO_PAGES_MODULE,
                loader: 'js',
              }))
            },
          },
        ],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: `node${options.runtime.replace(/^nodejs(\d+)\.x$/, '$1')}`,
        minify: true,
        treeShaking: true,
        legalComments: 'none',
        external: ['@aws-sdk/*'],
        // In this repository the packages are read from their sources, never from a stale dist/
        // (docs/packaging.md); an installed generator bundles the built packages.
        ...(fromSource ? { conditions: ['@servey/source'] } : {}),
        // Many packages are CommonJS; in an ES module bundle their require() calls of Node's
        // built-ins need a require function.
        banner: {
          js: "import { createRequire as __serveyCreateRequire } from 'node:module'; const require = __serveyCreateRequire(import.meta.url);",
        },
        metafile: true,
        logLevel: 'silent',
      })
    } catch (error) {
      const failure = error as {
        errors?: Array<{ text: string; location?: { file: string; line: number } | null }>
      }
      const first = failure.errors?.[0]
      const where =
        first?.location == null ? '' : ` (${first.location.file}:${first.location.line})`
      throw slsErrors.SERVEY_ERR_SLS_BUNDLE_FAILED(
        group.map((plan) => plan.key).join(', '),
        first === undefined ? (error as Error).message : `${first.text}${where}`,
      )
    }
    return Object.entries(result.metafile.outputs)
  }

  // Functions that serve pages and functions that do not are built apart: in the second
  // build nunjucks resolves to a stub (NO_PAGES_MODULE), and an esbuild plugin applies to
  // every entry point of its build.
  const groups = [
    { plans: plans.filter((plan) => plan.pages === true), pages: true },
    { plans: plans.filter((plan) => plan.pages !== true), pages: false },
  ].filter((group) => group.plans.length > 0)
  const outputs: Array<[string, { bytes: number; inputs: Record<string, unknown> }]> = []
  for (const group of groups) {
    outputs.push(...(await buildGroup(group.plans, group.pages)))
  }
  return plans.map((plan) => {
    const suffix = `${plan.key}/${BUNDLE_FILE}`
    const [, output] = outputs.find(([path]) => path.replaceAll('\\', '/').endsWith(suffix)) ?? []
    const packages = new Set<string>()
    for (const input of Object.keys(output?.inputs ?? {})) {
      const name = packageOf(input)
      if (name !== undefined) packages.add(name)
    }
    return { key: plan.key, bytes: output?.bytes ?? 0, packages: [...packages].sort() }
  })
}
