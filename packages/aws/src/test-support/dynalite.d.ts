// dynalite (a DynamoDB emulator on LevelDB, used by the tests) ships no types.
declare module 'dynalite' {
  import type { Server } from 'node:http'
  interface DynaliteOptions {
    readonly path?: string
    readonly createTableMs?: number
    readonly deleteTableMs?: number
    readonly updateTableMs?: number
  }
  export default function dynalite(options?: DynaliteOptions): Server
}
