import { createDefinitionError } from '@servey/core/adapter'

/**
 * Mistakes `servey sls` finds before it writes anything; see docs/reference/errors.md. Each
 * leaves every file as it was: the generator checks, bundles into a scratch folder, and only
 * then swaps the results in.
 */
export const slsErrors = {
  SERVEY_ERR_SLS_OPTION_UNKNOWN: createDefinitionError<[string, string]>(
    'SERVEY_ERR_SLS_OPTION_UNKNOWN',
    "Unknown option '%s' for servey sls%s",
    TypeError,
  ),
  SERVEY_ERR_SLS_OPTION_INVALID: createDefinitionError<[string, string, string]>(
    'SERVEY_ERR_SLS_OPTION_INVALID',
    "Invalid %s '%s': %s",
    RangeError,
  ),
  SERVEY_ERR_SLS_NAME_INVALID: createDefinitionError<[string, string, string]>(
    'SERVEY_ERR_SLS_NAME_INVALID',
    "AWS would refuse the %s '%s': %s",
    RangeError,
  ),
  SERVEY_ERR_SLS_MAIN_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_SLS_MAIN_INVALID',
    'The existing %s cannot be read as YAML, so nothing was written: %s',
  ),
  SERVEY_ERR_SLS_SCHEDULE_UNSUPPORTED: createDefinitionError<[string, string, string]>(
    'SERVEY_ERR_SLS_SCHEDULE_UNSUPPORTED',
    'The schedule %s of action %s has no EventBridge equivalent: %s',
  ),
  SERVEY_ERR_SLS_EXPORT_UNREACHABLE: createDefinitionError<[string, string]>(
    'SERVEY_ERR_SLS_EXPORT_UNREACHABLE',
    'Action %s (%s) cannot be imported by a generated handler: export it under a plain name',
  ),
  SERVEY_ERR_SLS_BUNDLE_FAILED: createDefinitionError<[string, string]>(
    'SERVEY_ERR_SLS_BUNDLE_FAILED',
    'Bundling the Lambda functions (%s) failed, so nothing was written: %s',
  ),
  SERVEY_ERR_SLS_TEMPLATES_MISSING: createDefinitionError<[string]>(
    'SERVEY_ERR_SLS_TEMPLATES_MISSING',
    'Function %s serves pages, but the app has no templates/ folder to bundle with it',
  ),
} as const
