import type { Redis } from 'ioredis'

/**
 * Trimming deletes entries with XDEL rather than XTRIM, because only XDEL moves the stream's
 * max-deleted-entry-id (Redis 7): the newest id ever dropped, which is exactly what tells a
 * resume whether it missed anything. Entries go oldest first, so the history is always a
 * suffix of what was published. Exact, not `MAXLEN ~`: it drops the one entry an append pushes
 * out, and freed stream nodes are reclaimed by Redis as with XTRIM.
 */
const TRIM = `
local function drop(key, entries)
  for i = 1, #entries, 500 do
    local ids = {}
    for j = i, math.min(i + 499, #entries) do ids[#ids + 1] = entries[j][1] end
    redis.call('XDEL', key, unpack(ids))
  end
end
local function trim(key, maxLength, cutoff)
  local over = redis.call('XLEN', key) - maxLength
  if over > 0 then drop(key, redis.call('XRANGE', key, '-', '+', 'COUNT', over)) end
  if cutoff > 0 then
    local before = '(' .. string.format('%.0f', cutoff) .. '-0'
    repeat
      local old = redis.call('XRANGE', key, '-', before, 'COUNT', 500)
      drop(key, old)
    until #old < 500
  end
end
`

/**
 * Appends an event and trims, in one atomic step, so every process sees the same id for it
 * (the stream entry id, `<ms>-<seq>` from Redis's clock) and the same history.
 * KEYS[1]: the stream. ARGV: max length, max age (ms), event JSON, target connection or ''.
 */
const APPEND = `${TRIM}
local id
if ARGV[4] == '' then
  id = redis.call('XADD', KEYS[1], '*', 'e', ARGV[3])
else
  id = redis.call('XADD', KEYS[1], '*', 'e', ARGV[3], 't', ARGV[4])
end
trim(KEYS[1], tonumber(ARGV[1]), tonumber(string.match(id, '^(%d+)-')) - tonumber(ARGV[2]))
return id
`

/**
 * Trims by age first (a channel may have been quiet since its last append), then answers the
 * newest id ever dropped and the entries after `since`.
 * KEYS[1]: the stream. ARGV: since, max length, max age (ms).
 */
const READ_SINCE = `${TRIM}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'0-0', {}} end
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
trim(KEYS[1], tonumber(ARGV[2]), ms - tonumber(ARGV[3]))
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local deleted = '0-0'
for i = 1, #info, 2 do
  if info[i] == 'max-deleted-entry-id' then deleted = info[i + 1] end
end
return {deleted, redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+')}
`

/** A stream entry as Redis answers it: its id and its flat field/value list. */
export type StreamEntry = [id: string, fields: string[]]

export interface ChannelScripts {
  serveyChannelAppend(
    key: string,
    maxLength: number,
    maxAgeMs: number,
    event: string,
    to: string,
  ): Promise<string>
  serveyChannelReadSince(
    key: string,
    since: string,
    maxLength: number,
    maxAgeMs: number,
  ): Promise<[deleted: string, entries: StreamEntry[]]>
}

/** Registers the scripts on a connection (ioredis runs them by EVALSHA, loading on demand). */
export function defineChannelScripts(client: Redis): Redis & ChannelScripts {
  client.defineCommand('serveyChannelAppend', { numberOfKeys: 1, lua: APPEND })
  client.defineCommand('serveyChannelReadSince', { numberOfKeys: 1, lua: READ_SINCE })
  return client as Redis & ChannelScripts
}
