import {
  DEFAULT_HISTORY,
  isDefinitionError,
  toMilliseconds,
  type HistoryLimits,
} from '@servey/core'
import { cliErrors } from '../errors.ts'

export interface ChannelSettings {
  /** Set: events fan out and are kept in Redis Streams, shared by every process of the app. */
  readonly redisUrl: string | undefined
  /** Prefix of the stream keys (`<prefix>:channel:<name>`). */
  readonly prefix: string
  readonly history: HistoryLimits
}

function historyLength(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_HISTORY.maxLength
  const length = Number(value)
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(length) || length < 1) {
    throw cliErrors.SERVEY_ERR_CLI_CHANNEL_HISTORY_INVALID(
      'SERVEY_CHANNEL_HISTORY_LENGTH',
      value,
      'give a whole number of events, at least 1',
    )
  }
  return length
}

function historyAge(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_HISTORY.maxAgeMs
  try {
    // A bare number is milliseconds, as everywhere durations are read.
    return toMilliseconds(
      /^\d+$/.test(value.trim()) ? Number(value) : value,
      'the channel history age',
    )
  } catch (error) {
    if (!isDefinitionError(error)) throw error
    throw cliErrors.SERVEY_ERR_CLI_CHANNEL_HISTORY_INVALID(
      'SERVEY_CHANNEL_HISTORY_AGE',
      value,
      'give a duration such as 300000, "90s" or "5m"',
    )
  }
}

/**
 * The channel settings of every command, from the environment: `REDIS_URL`,
 * `SERVEY_CHANNELS_PREFIX` (default `servey`), `SERVEY_CHANNEL_HISTORY_LENGTH` (default 1000)
 * and `SERVEY_CHANNEL_HISTORY_AGE` (default 5m). A bad value fails start-up with a code.
 */
export function channelSettingsFrom(env: NodeJS.ProcessEnv): ChannelSettings {
  const url = env['REDIS_URL']
  const prefix = env['SERVEY_CHANNELS_PREFIX']
  return {
    redisUrl: url === undefined || url === '' ? undefined : url,
    prefix: prefix === undefined || prefix === '' ? 'servey' : prefix,
    history: Object.freeze({
      maxLength: historyLength(env['SERVEY_CHANNEL_HISTORY_LENGTH']),
      maxAgeMs: historyAge(env['SERVEY_CHANNEL_HISTORY_AGE']),
    }),
  }
}
