/**
 * @module @servey/aws/sls: `servey sls`, as a library. It writes serverless.yml (once), the
 * generated include serverless.servey.yml, and one esbuild bundle per Lambda function.
 */
export {
  writeServerlessProject,
  type ServerlessProjectRequest,
  type ServerlessProjectReport,
  type FunctionReport,
} from './write-project.ts'
export {
  OPTION_NAMES,
  RUNTIMES,
  APIS,
  type SlsOptions,
  type Runtime,
  type ApiKind,
} from './options.ts'
export {
  planFunctions,
  ROUTER_FUNCTION,
  type FunctionPlan,
  type ServerlessPlan,
} from './function-plan.ts'
export { HEALTH_FUNCTION } from './health-plan.ts'
export { rateExpression, cronExpression } from './schedule-expression.ts'
export { MAIN_FILE, INCLUDE_FILE, BUNDLE_DIR } from './layout.ts'
export { slsErrors } from './errors.ts'
// The connections table as the stack creates it, so a local emulator (dynalite, DynamoDB Local)
// can be given the same keys and index: the fuzz harness does.
export { connectionsTableDefinition } from '../runtime/websocket/connections-table.ts'
