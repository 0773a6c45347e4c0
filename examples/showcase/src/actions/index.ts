// The showcase's actions, one file per group; the CLI and the tests load this module.
export { say_hello } from './say-hello.ts'
export { number_stats } from './number-stats.ts'
export { generated } from './generated.ts'
export { echo_authorization, only_for_root } from './security.ts'
