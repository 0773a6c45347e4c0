/**
 * `pnpm pack-all [dir]`: build, then pack every publishable package into dir (default
 * .tarballs/ at the repository root), ready for `npm install` outside this repository. See
 * docs/packaging.md.
 */
import { resolve } from 'node:path'
import { buildWorkspace, packPackages } from './pack-packages.ts'
import { publishablePackages, REPO_ROOT } from './workspace.ts'

const cwd = process.env['INIT_CWD'] ?? process.cwd()
const destination = resolve(cwd, process.argv[2] ?? resolve(REPO_ROOT, '.tarballs'))
await buildWorkspace()
const tarballs = await packPackages(publishablePackages(), destination)
for (const path of tarballs.values()) process.stdout.write(`${path}\n`)
