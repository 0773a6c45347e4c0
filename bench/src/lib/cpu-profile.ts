import { readFileSync } from 'node:fs'

interface ProfileNode {
  readonly id: number
  readonly callFrame: {
    readonly functionName: string
    readonly url: string
    readonly lineNumber: number
  }
  readonly children?: readonly number[]
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

export interface ProfileEntry {
  readonly name: string
  readonly selfMs: number
  readonly share: number
}

export interface ProfileSummary {
  readonly totalMs: number
  readonly byFunction: readonly ProfileEntry[]
  readonly byPackage: readonly ProfileEntry[]
}

/** Which package (or runtime part) a script URL belongs to. */
export function packageOf(url: string): string {
  if (url === '') return '(native / GC / idle)'
  if (url.startsWith('node:')) return 'node core'
  const store = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (store !== null) return store[1] as string
  const plain = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (plain !== null) return plain[1] as string
  const workspace = /\/(packages|examples|bench)\/([^/]+)\//.exec(url)
  if (workspace !== null) return `${workspace[1]}/${workspace[2]}`
  return url
}

/** Self time per function and per package of a `--cpu-prof` profile. */
export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfById = new Map<number, number>()
  let totalUs = 0
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0
    selfById.set(id, (selfById.get(id) ?? 0) + delta)
    totalUs += delta
  })
  const functions = new Map<string, number>()
  const packages = new Map<string, number>()
  for (const [id, us] of selfById) {
    const frame = byId.get(id)?.callFrame
    if (frame === undefined) continue
    const where = frame.url === '' ? '' : ` ${shortUrl(frame.url)}:${frame.lineNumber + 1}`
    const name = `${frame.functionName === '' ? '(anonymous)' : frame.functionName}${where}`
    functions.set(name, (functions.get(name) ?? 0) + us)
    const pkg = packageOf(frame.url)
    packages.set(pkg, (packages.get(pkg) ?? 0) + us)
  }
  const entries = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: us / totalUs }))
  return { totalMs: totalUs / 1000, byFunction: entries(functions), byPackage: entries(packages) }
}

function shortUrl(url: string): string {
  const cut = url.lastIndexOf('node_modules/')
  if (cut !== -1) return url.slice(cut + 'node_modules/'.length)
  const workspace = /\/((?:packages|examples|bench)\/.*)$/.exec(url)
  return workspace === null ? url : (workspace[1] as string)
}
