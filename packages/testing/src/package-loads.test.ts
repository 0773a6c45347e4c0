import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { probePackageLoads } from './package-loads.ts'

const HERE = fileURLToPath(new URL('.', import.meta.url))

function node(source: string, env: NodeJS.ProcessEnv): void {
  execFileSync(process.execPath, ['--input-type=module', '-e', source], { cwd: HERE, env })
}

describe('probePackageLoads', () => {
  it('reports the watched packages a process loaded, and only those', () => {
    const probe = probePackageLoads(['ioredis', 'playwright-core'])
    node("await import('ioredis')", { ...process.env, ...probe.env })
    expect(probe.loaded()).toEqual(['ioredis'])
  })

  it('reports nothing for a process that loaded none of them', () => {
    const probe = probePackageLoads(['ioredis'])
    node('1', { ...process.env, ...probe.env })
    expect(probe.loaded()).toEqual([])
  })

  it('refuses to answer when no process reported: an unloaded probe is not "none"', () => {
    const probe = probePackageLoads(['ioredis'])
    node("await import('ioredis')", process.env)
    expect(() => probe.loaded()).toThrow(/No process reported/)
  })
})
