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
  /** Time with the function anywhere on the stack (self + callees), per function. */
  readonly inclusive: readonly ProfileEntry[]
}

export interface SummaryOptions {
  readonly top?: number
  /**
   * Count only the samples from the first one whose stack holds a function of this name on:
   * `parserOnIncoming` skips a server's start-up (module loading, compiling) and keeps the load.
   */
  readonly from?: string
  /** Leave out idle time (the process waiting for work): shares are then of busy time. */
  readonly busyOnly?: boolean
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

function nameOf(frame: ProfileNode['callFrame']): string {
  const where = frame.url === '' ? '' : ` ${shortUrl(frame.url)}:${frame.lineNumber + 1}`
  return `${frame.functionName === '' ? '(anonymous)' : frame.functionName}${where}`
}

/** Self time per function and per package of a `--cpu-prof` profile, and inclusive time. */
export function summarizeProfile(file: string, options: SummaryOptions = {}): ProfileSummary {
  const top = options.top ?? 25
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parentOf = new Map<number, number>()
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id)
  const stackOf = (id: number): number[] => {
    const stack: number[] = []
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) stack.push(at)
    return stack
  }
  const selfById = new Map<number, number>()
  const inclusiveByName = new Map<string, number>()
  let totalUs = 0
  let started = options.from === undefined
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0
    const stack = stackOf(id)
    if (!started) {
      started = stack.some((at) => byId.get(at)?.callFrame.functionName === options.from)
      if (!started) return
    }
    if (options.busyOnly === true && byId.get(id)?.callFrame.functionName === '(idle)') return
    selfById.set(id, (selfById.get(id) ?? 0) + delta)
    totalUs += delta
    const seen = new Set<string>()
    for (const at of stack) {
      const frame = byId.get(at)?.callFrame
      if (frame === undefined || frame.functionName === '(root)') continue
      const name = nameOf(frame)
      if (seen.has(name)) continue
      seen.add(name)
      inclusiveByName.set(name, (inclusiveByName.get(name) ?? 0) + delta)
    }
  })
  const functions = new Map<string, number>()
  const packages = new Map<string, number>()
  for (const [id, us] of selfById) {
    const frame = byId.get(id)?.callFrame
    if (frame === undefined) continue
    const name = nameOf(frame)
    functions.set(name, (functions.get(name) ?? 0) + us)
    const pkg = packageOf(frame.url)
    packages.set(pkg, (packages.get(pkg) ?? 0) + us)
  }
  const entries = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: us / totalUs }))
  return {
    totalMs: totalUs / 1000,
    byFunction: entries(functions),
    byPackage: entries(packages),
    inclusive: entries(inclusiveByName),
  }
}

function shortUrl(url: string): string {
  const cut = url.lastIndexOf('node_modules/')
  if (cut !== -1) return url.slice(cut + 'node_modules/'.length)
  const workspace = /\/((?:packages|examples|bench)\/.*)$/.exec(url)
  return workspace === null ? url : (workspace[1] as string)
}
