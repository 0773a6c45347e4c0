/**
 * @module create-servey: scaffold a standalone Servey app. The binary is bin.js
 * (`npm create servey@latest my-app`); `servey init` runs the same code.
 */
export { runCreateServey, usage, type RunOptions } from './cli.ts'
export { processIo, type CreateIo } from './io.ts'
export { scaffold, appFiles, type ScaffoldOptions } from './scaffold.ts'
export { TRIGGERS, TRIGGER_CHOICES, DEFAULT_TRIGGERS, type TriggerChoice } from './triggers.ts'
export type { PackageSource } from './files/package-file.ts'
export { CreateServeyError, CREATE_SERVEY_ERROR_CODES, isCreateServeyError } from './errors.ts'
export { CANCELLED, type Questions } from './ask.ts'
