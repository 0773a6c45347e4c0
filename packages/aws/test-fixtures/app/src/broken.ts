// An entry whose bundle cannot be built: the import does not resolve.
export { say_hello } from './actions.ts'
export { missing } from './no-such-module.ts'
