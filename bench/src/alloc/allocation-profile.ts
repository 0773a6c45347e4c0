/** A node of V8's sampling heap profile (`HeapProfiler.stopSampling`). */
export interface SamplingHeapNode {
  readonly callFrame: {
    readonly functionName: string
    readonly url: string
    readonly lineNumber: number
  }
  readonly selfSize: number
  readonly children: readonly SamplingHeapNode[]
}

export interface SamplingHeapProfile {
  readonly head: SamplingHeapNode
}

export interface AllocationSite {
  /** `function package/file:line`, the same across two servers that run the same code. */
  readonly site: string
  readonly bytes: number
}

export interface AllocationSummary {
  readonly totalBytes: number
  /** Largest first. */
  readonly sites: readonly AllocationSite[]
}

/**
 * Where a file lives, short and stable across checkouts: the package path after the last
 * `node_modules/`, or the workspace package's path after `packages/`.
 */
export function shortUrl(url: string): string {
  const module = url.lastIndexOf('node_modules/')
  if (module !== -1) return url.slice(module + 'node_modules/'.length)
  const workspace = url.lastIndexOf('/packages/')
  if (workspace !== -1) return url.slice(workspace + 1)
  return url.replace(/^file:\/\//, '')
}

/**
 * Bytes allocated per site (the function that allocated, not its callers). V8 scales each
 * sample to the allocations it stands for, so the sums estimate what was allocated.
 */
export function summarizeAllocations(profile: SamplingHeapProfile): AllocationSummary {
  const bySite = new Map<string, number>()
  let totalBytes = 0
  const stack: SamplingHeapNode[] = [profile.head]
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.selfSize > 0) {
      const { functionName, url, lineNumber } = node.callFrame
      const site = `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize)
      totalBytes += node.selfSize
    }
    stack.push(...node.children)
  }
  const sites = [...bySite].map(([site, bytes]) => ({ site, bytes }))
  sites.sort((a, b) => b.bytes - a.bytes)
  return { totalBytes, sites }
}

/** What one side allocates per request beyond the other, site by site, largest first. */
export function extraSites(
  side: AllocationSummary,
  baseline: AllocationSummary,
): readonly AllocationSite[] {
  const base = new Map(baseline.sites.map((entry) => [entry.site, entry.bytes]))
  return side.sites
    .map(({ site, bytes }) => ({ site, bytes: bytes - (base.get(site) ?? 0) }))
    .filter((entry) => entry.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
}
