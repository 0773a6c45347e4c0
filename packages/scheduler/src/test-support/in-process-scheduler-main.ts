/**
 * Starts and closes an in-process scheduler, nothing else: for checks of what that loads.
 * `IMPORT_TOO` imports one more package first, so a test can show its probe sees a load.
 */
import { action } from '@servey/core'
import { startScheduler } from '../create-scheduler.ts'
import { invokerFor } from './fixtures.ts'

const extra = process.env['IMPORT_TOO']
if (extra !== undefined) await import(extra)
const ping = action({}, function ping() {
  return 'pong'
})
const scheduler = await startScheduler({ invoker: invokerFor({ ping }) })
await scheduler.close()
