/**
 * @module @servey/core/precompile: build-time code generation. Validators written as code here
 * are passed back to `createRegistry(source, { validators })` by the code that runs them, so a
 * process that must start fast (a Lambda cold start) compiles no schema. Kept out of
 * `@servey/core` so that runtime bundles never carry Ajv's code generator entry.
 */
export { precompileValidators, type PrecompiledValidatorsModule } from './schema/precompile.ts'
export type { PrecompiledValidators } from './schema/validator.ts'
