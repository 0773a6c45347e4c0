import { createDefinitionError } from './definition-error.ts'

/**
 * The catalogue of developer mistakes core detects at start-up. Documented, with solutions, in
 * docs/reference/errors.md; `errors-doc.test.ts` keeps the two in step.
 */
export const definitionErrors = {
  /** Action */
  SERVEY_ERR_ACTION_HANDLER_MISSING: createDefinitionError<[]>(
    'SERVEY_ERR_ACTION_HANDLER_MISSING',
    'action() needs a handler function as its second argument',
    TypeError,
  ),
  SERVEY_ERR_ACTION_NAME_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_ACTION_NAME_INVALID',
    "Action name '%s' (from %s) is invalid: use snake_case letters and digits, starting with a letter",
  ),
  SERVEY_ERR_ACTION_NAME_MISSING: createDefinitionError<[string]>(
    'SERVEY_ERR_ACTION_NAME_MISSING',
    'The action at %s has no name: pass `name`, use a named function, or export it under a name',
  ),
  SERVEY_ERR_ACTION_PARAMS_NOT_OBJECT: createDefinitionError<[string]>(
    'SERVEY_ERR_ACTION_PARAMS_NOT_OBJECT',
    'The params schema of action %s must be an object schema (Type.Object)',
    TypeError,
  ),
  SERVEY_ERR_ACTION_SCHEMA_INVALID: createDefinitionError<[string, string, string]>(
    'SERVEY_ERR_ACTION_SCHEMA_INVALID',
    'The %s schema of action %s does not compile: %s',
  ),
  SERVEY_ERR_ACTION_EXAMPLE_INVALID: createDefinitionError<[string, string, string]>(
    'SERVEY_ERR_ACTION_EXAMPLE_INVALID',
    "Example '%s' of action %s has params that do not match the params schema: %s",
  ),
  SERVEY_ERR_ACTION_OPTION_UNKNOWN: createDefinitionError<[string, string]>(
    'SERVEY_ERR_ACTION_OPTION_UNKNOWN',
    "Unknown action option '%s'%s",
    TypeError,
  ),
  SERVEY_ERR_ACTION_PARENT_INVALID: createDefinitionError<[string]>(
    'SERVEY_ERR_ACTION_PARENT_INVALID',
    "The parent of action %s must be an object schema with an $id (Type.Object({ ... }, { $id: 'Name' }))",
    TypeError,
  ),
  SERVEY_ERR_ACTION_BATCH_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_ACTION_BATCH_INVALID',
    'The batch option of action %s is invalid: %s',
    TypeError,
  ),
  SERVEY_ERR_ACTION_PUBLISHES_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_ACTION_PUBLISHES_INVALID',
    'The publishes option of action %s is invalid: %s',
    TypeError,
  ),
  SERVEY_ERR_ACTION_PUBLISHES_UNREGISTERED: createDefinitionError<[string, string]>(
    'SERVEY_ERR_ACTION_PUBLISHES_UNREGISTERED',
    "Action %s publishes to channel '%s', which is not among the app's channels: export it",
  ),
  SERVEY_ERR_SCHEMA_ID_CONFLICT: createDefinitionError<[string]>(
    'SERVEY_ERR_SCHEMA_ID_CONFLICT',
    "Two different schemas use the $id '%s'; give each named type its own $id",
  ),
  /** Authentication */
  SERVEY_ERR_AUTH_KEY_CONFIG: createDefinitionError<[string]>(
    'SERVEY_ERR_AUTH_KEY_CONFIG',
    'A JWT authenticator needs exactly one of secret, publicKey or jwksUrl (got %s)',
    TypeError,
  ),
  SERVEY_ERR_AUTH_ALGORITHM_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_AUTH_ALGORITHM_INVALID',
    'Algorithms [%s] cannot be used with %s',
    RangeError,
  ),
  SERVEY_ERR_AUTH_SECRET_TOO_SHORT: createDefinitionError<[string, string]>(
    'SERVEY_ERR_AUTH_SECRET_TOO_SHORT',
    'The JWT secret is %s bytes; HMAC needs at least %s (RFC 7518 §3.2)',
    RangeError,
  ),
  SERVEY_ERR_AUTH_KEY_INVALID: createDefinitionError<[string]>(
    'SERVEY_ERR_AUTH_KEY_INVALID',
    'The JWT public key could not be imported: %s',
  ),
  SERVEY_ERR_AUTH_ENV_INVALID: createDefinitionError<[string, string, string]>(
    'SERVEY_ERR_AUTH_ENV_INVALID',
    "Invalid %s '%s': expected %s",
  ),
  /** Durations */
  SERVEY_ERR_DURATION_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_DURATION_INVALID',
    "Invalid duration %s for %s: use milliseconds (a positive number) or a string like '500ms', '15s', '5m'",
    RangeError,
  ),
  /** Registry */
  SERVEY_ERR_REGISTRY_DUPLICATE_NAME: createDefinitionError<[string, string, string]>(
    'SERVEY_ERR_REGISTRY_DUPLICATE_NAME',
    "Two different actions are named '%s': %s and %s",
  ),
  SERVEY_ERR_REGISTRY_NAME_CLASH: createDefinitionError<[string, string, string, string, string]>(
    'SERVEY_ERR_REGISTRY_NAME_CLASH',
    "Actions '%s' (%s) and '%s' (%s) share the camelCase spelling '%s' (GraphQL fields, clients)",
  ),
  SERVEY_ERR_REGISTRY_DUPLICATE_CHANNEL: createDefinitionError<[string, string, string]>(
    'SERVEY_ERR_REGISTRY_DUPLICATE_CHANNEL',
    "Two different channels are named '%s': %s and %s",
  ),
  /** Channels */
  SERVEY_ERR_CHANNEL_NAME_INVALID: createDefinitionError<[string]>(
    'SERVEY_ERR_CHANNEL_NAME_INVALID',
    "Channel name '%s' is invalid: use snake_case letters and digits, starting with a letter",
  ),
  SERVEY_ERR_CHANNEL_PAYLOAD_MISSING: createDefinitionError<[string]>(
    'SERVEY_ERR_CHANNEL_PAYLOAD_MISSING',
    'Channel %s needs a payload schema: channel(name, { payload: Type.String() })',
    TypeError,
  ),
  SERVEY_ERR_CHANNEL_OPTION_UNKNOWN: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CHANNEL_OPTION_UNKNOWN',
    "Unknown or invalid channel option '%s' on channel %s (known: payload, access, filter, description, examples, handlers)",
    TypeError,
  ),
  SERVEY_ERR_CHANNEL_SCHEMA_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CHANNEL_SCHEMA_INVALID',
    'The payload schema of channel %s does not compile: %s',
  ),
  SERVEY_ERR_CHANNEL_EXAMPLE_INVALID: createDefinitionError<[string, string, string]>(
    'SERVEY_ERR_CHANNEL_EXAMPLE_INVALID',
    "Example '%s' of channel %s does not match the payload schema: %s",
  ),
  SERVEY_ERR_CHANNEL_HANDLER_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CHANNEL_HANDLER_INVALID',
    'Invalid %s: %s',
    TypeError,
  ),
  SERVEY_ERR_CHANNEL_HANDLER_GROUP_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CHANNEL_HANDLER_GROUP_INVALID',
    'Group %s of %s is invalid: a group is an integer (negative groups run first)',
    TypeError,
  ),
  SERVEY_ERR_CHANNEL_WEBHOOK_URL_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CHANNEL_WEBHOOK_URL_INVALID',
    "Webhook URL '%s' of %s is invalid: use an absolute http or https URL without credentials",
  ),
  SERVEY_ERR_CHANNEL_HANDLER_ACTION_UNREGISTERED: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CHANNEL_HANDLER_ACTION_UNREGISTERED',
    'The action of %s is not registered: export it from the app, so every process (and every worker) runs it by name (%s)',
  ),
  SERVEY_ERR_CHANNEL_HANDLER_PARAMS_MISSING: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CHANNEL_HANDLER_PARAMS_MISSING',
    'The events of channel %s are not objects, so %s needs `params: (event) => ({ ... })` to build its params object',
  ),
  /** Triggers */
  SERVEY_ERR_TRIGGER_INVALID: createDefinitionError<[string]>(
    'SERVEY_ERR_TRIGGER_INVALID',
    "A trigger of action %s is not a trigger object (an object with a string 'kind')",
    TypeError,
  ),
  SERVEY_ERR_TRIGGER_METHOD_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_TRIGGER_METHOD_INVALID',
    "Web method '%s' of action %s is not one of GET, POST, PUT, PATCH, DELETE",
  ),
  SERVEY_ERR_TRIGGER_PATH_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_TRIGGER_PATH_INVALID',
    "Web path '%s' of action %s is invalid: it must start with '/' and use ':name' for parameters",
  ),
  SERVEY_ERR_TRIGGER_PATH_PARAM_UNKNOWN: createDefinitionError<[string, string]>(
    'SERVEY_ERR_TRIGGER_PATH_PARAM_UNKNOWN',
    "Path parameter ':%s' of action %s is not a property of its params schema",
  ),
  /** Hooks */
  SERVEY_ERR_HOOK_UNKNOWN: createDefinitionError<[string, string]>(
    'SERVEY_ERR_HOOK_UNKNOWN',
    "Plugin '%s' declares unknown hook '%s' (known: onRequest, onInvoke, onResult, onError)",
    TypeError,
  ),
  SERVEY_ERR_HOOK_NOT_FUNCTION: createDefinitionError<[string, string]>(
    'SERVEY_ERR_HOOK_NOT_FUNCTION',
    "Hook '%s' of plugin '%s' must be a function",
    TypeError,
  ),
  /** Cache and pages */
  SERVEY_ERR_CACHE_POLICY_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CACHE_POLICY_INVALID',
    'The cache policy of action %s is invalid: %s',
    TypeError,
  ),
  SERVEY_ERR_PAGE_REDIRECT_INVALID: createDefinitionError<[string]>(
    'SERVEY_ERR_PAGE_REDIRECT_INVALID',
    'redirect() got status %s: use 301, 302, 303, 307 or 308',
    RangeError,
  ),
} as const

export type DefinitionErrorCode = keyof typeof definitionErrors
