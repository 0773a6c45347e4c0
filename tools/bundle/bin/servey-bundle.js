#!/usr/bin/env node
// servey-bundle <dependency>...: the JavaScript half of a package's build, run in the package's
// folder after `tsc -p tsconfig.build.json` (which then emits declarations only).
//
// Why: Node loads an ES module graph file by file, and start-up pays for every file. @servey/core
// depends on TypeBox (363 modules for `Type`) and Ajv (about 165 CommonJS files); loaded as
// installed, they made up most of `servey run`'s start-up (BENCHMARKS.md, "CLI: `servey run`
// start-up"). Here esbuild writes each entry of the package's `exports` to dist/ with the named
// dependencies inlined, so the package loads a handful of files.
//
// What stays as it was:
// - every other import: @servey/* packages (an action made by one copy of core must be known to
//   the registry of the app's copy), Node's built-ins, and the dependencies not named (those
//   loaded lazily, such as jose, or that must stay files, such as tsx's hooks or pino's
//   transports);
// - the entries' shared modules, in shared chunks (code splitting): one copy of each module's
//   state whatever entries an app imports;
// - the named dependencies stay in `dependencies`: the declarations refer to their types, and
//   code generated at run time may require their files (core's precompiled validators require
//   Ajv's runtime helpers).
import { readdir, readFile, rm, mkdir, writeFile } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { build } from 'esbuild'

const SOURCE_CONDITION = '@servey/source'
const BUILTINS = new Set(builtinModules)

/** `ajv/dist/core.js` and `@scope/name/x` to the package name. */
function packageName(specifier) {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

function isBare(specifier) {
  return !/^(?:\.|\/|[a-z]+:)/i.test(specifier)
}

/** Each `exports` entry with a source: esbuild's { in: src/x.ts, out: x } (dist/x.js). */
function entryPoints(manifest) {
  const entries = []
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    const source = target?.[SOURCE_CONDITION]
    const built = target?.default
    if (typeof source !== 'string' || typeof built !== 'string') continue
    if (!built.startsWith('./dist/') || !built.endsWith('.js')) {
      throw new Error(`servey-bundle: exports["${subpath}"].default is not ./dist/*.js`)
    }
    entries.push({ in: source, out: built.slice('./dist/'.length, -'.js'.length) })
  }
  return entries
}

async function builtFiles(dir) {
  const found = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.js(?:\.map)?$/.test(entry.name)) {
      found.push(join(entry.parentPath, entry.name))
    }
  }
  return found
}

async function main() {
  const inline = new Set(process.argv.slice(2))
  const manifest = JSON.parse(await readFile('package.json', 'utf8'))
  const dependencies = Object.keys(manifest.dependencies ?? {})
  for (const name of inline) {
    if (!dependencies.includes(name)) {
      throw new Error(`servey-bundle: ${name} is not in ${manifest.name}'s dependencies`)
    }
  }
  const entries = entryPoints(manifest)
  if (entries.length === 0) throw new Error(`servey-bundle: ${manifest.name} exports no entry`)
  const engine = /^>=(\d+(?:\.\d+)?)/.exec(manifest.engines?.node ?? '')
  const outdir = 'dist'

  const options = {
    entryPoints: entries,
    outdir,
    write: false,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: engine === null ? 'node20' : `node${engine[1]}`,
    sourcemap: 'linked',
    sourcesContent: true,
    logLevel: 'warning',
    metafile: true,
    plugins: [
      {
        name: 'servey-inline-only-named',
        setup(plugin) {
          plugin.onResolve({ filter: /.*/ }, (args) => {
            if (args.kind === 'entry-point' || !isBare(args.path)) return undefined
            if (BUILTINS.has(args.path) || args.path.startsWith('node:')) {
              return { path: args.path, external: true }
            }
            // Inside an inlined dependency, its own dependencies are inlined with it.
            if (args.importer.includes('/node_modules/')) return undefined
            if (inline.has(packageName(args.path))) return undefined
            return { path: args.path, external: true }
          })
        },
      },
    ],
  }
  let result = await build(options)
  // An inlined CommonJS module that require()s a Node built-in needs a require function in an
  // ES module: esbuild then emits a shim that throws 'Dynamic require of "x" is not supported'.
  // Only then is one made, under a name of its own: a bundler that inlines this output again
  // renames it, whereas a banner of its own (servey sls adds one) is text it cannot rename.
  if (result.outputFiles.some((file) => file.text.includes('Dynamic require of "'))) {
    result = await build({
      ...options,
      banner: {
        js: "import { createRequire as __serveyBundleCreateRequire } from 'node:module'; const require = __serveyBundleCreateRequire(import.meta.url);",
      },
    })
  }

  // Whatever tsc or an earlier build left as JavaScript goes: dist/ holds the bundle and the
  // declarations only.
  await Promise.all((await builtFiles(outdir)).map((file) => rm(file)))
  for (const file of result.outputFiles) {
    await mkdir(dirname(file.path), { recursive: true })
    await writeFile(file.path, file.contents)
  }
  const written = Object.entries(result.metafile.outputs).filter(([path]) => path.endsWith('.js'))
  const total = written.reduce((sum, [, output]) => sum + output.bytes, 0)
  process.stdout.write(
    `servey-bundle: ${manifest.name}: ${written.length} files, ${(total / 1024).toFixed(0)} KiB, inlined ${[...inline].join(', ') || 'nothing'} (${relative(process.cwd(), outdir)}/)\n`,
  )
}

await main()
