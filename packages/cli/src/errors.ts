import { createDefinitionError } from '@servey/core'

/**
 * Developer mistakes the CLI finds before an app runs. Each has a stable code, documented in
 * docs/reference/cli.md, so scripts and issue reports can refer to it.
 */
export const cliErrors = {
  SERVEY_ERR_CLI_ENTRY_NOT_FOUND: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CLI_ENTRY_NOT_FOUND',
    'No actions module found in %s. Tried:\n%s\nPass --entry <file> or set SERVEY_ENTRY.',
  ),
  SERVEY_ERR_CLI_ENTRY_FILE_MISSING: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CLI_ENTRY_FILE_MISSING',
    'The actions module %s (from %s) does not exist',
  ),
  SERVEY_ERR_CLI_ENTRY_LOAD_FAILED: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CLI_ENTRY_LOAD_FAILED',
    'Could not load the actions module %s: %s',
  ),
  SERVEY_ERR_CLI_PORT_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CLI_PORT_INVALID',
    "Invalid port '%s' (from %s): use a whole number from 0 to 65535",
    RangeError,
  ),
  SERVEY_ERR_CLI_REDIS_UNREACHABLE: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CLI_REDIS_UNREACHABLE',
    'Redis at %s (REDIS_URL) does not answer: %s. Start Redis, fix REDIS_URL, or unset it to run with nothing installed',
  ),
  SERVEY_ERR_CONFIG_LOAD_FAILED: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CONFIG_LOAD_FAILED',
    'Could not load the config file %s: %s',
  ),
  SERVEY_ERR_CONFIG_UNKNOWN_KEY: createDefinitionError<[string, string, string]>(
    'SERVEY_ERR_CONFIG_UNKNOWN_KEY',
    "Unknown key '%s' in %s: %s (see docs/reference/config.md)",
  ),
  SERVEY_ERR_CONFIG_INVALID: createDefinitionError<[string, string, string, string]>(
    'SERVEY_ERR_CONFIG_INVALID',
    'Invalid %s in %s: expected %s, got %s',
    TypeError,
  ),
  SERVEY_ERR_CLI_WORKERS_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CLI_WORKERS_INVALID',
    "Invalid worker count '%s' (from %s): use auto or a whole number from 1 to 1024",
    RangeError,
  ),
  SERVEY_ERR_CLI_WORKERS_NEED_REDIS: createDefinitionError<[string]>(
    'SERVEY_ERR_CLI_WORKERS_NEED_REDIS',
    '%s workers need REDIS_URL: without Redis, jobs, the cache and channels live in one process; set REDIS_URL or run one worker',
  ),
  SERVEY_ERR_CLI_PORT_IN_USE: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CLI_PORT_IN_USE',
    'Port %s on %s is already in use: stop the other server or pass --port',
  ),
  SERVEY_ERR_CLI_OUTPUT_FAILED: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CLI_OUTPUT_FAILED',
    'Cannot write %s (%s)',
  ),
  SERVEY_ERR_CLI_SERVER_URL_INVALID: createDefinitionError<[string]>(
    'SERVEY_ERR_CLI_SERVER_URL_INVALID',
    "Invalid --server '%s': use an absolute http(s) URL (https://api.example.org) or a path (/api)",
    RangeError,
  ),
  SERVEY_ERR_CLI_ASYNCAPI_SERVER_INVALID: createDefinitionError<[string]>(
    'SERVEY_ERR_CLI_ASYNCAPI_SERVER_INVALID',
    "Invalid --server '%s' for servey asyncapi: use an absolute ws(s) or http(s) URL (wss://api.example.org)",
    RangeError,
  ),
  SERVEY_ERR_CLI_LOG_LEVEL_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CLI_LOG_LEVEL_INVALID',
    "Invalid LOG_LEVEL '%s': use one of %s",
    RangeError,
  ),
  SERVEY_ERR_CLI_LOG_FORMAT_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CLI_LOG_FORMAT_INVALID',
    "Invalid LOG_FORMAT '%s': use one of %s",
    RangeError,
  ),
  SERVEY_ERR_CLI_CHANNEL_HISTORY_INVALID: createDefinitionError<[string, string, string]>(
    'SERVEY_ERR_CLI_CHANNEL_HISTORY_INVALID',
    "Invalid %s '%s': %s",
    RangeError,
  ),
  SERVEY_ERR_CLI_TRUSTED_CALLER_IN_PRODUCTION: createDefinitionError<[string]>(
    'SERVEY_ERR_CLI_TRUSTED_CALLER_IN_PRODUCTION',
    '%s makes an unsigned caller and is for development only; with NODE_ENV=production pass --token <jwt>',
  ),
} as const
