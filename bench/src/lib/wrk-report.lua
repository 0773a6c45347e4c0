-- wrk's side of bench/src/lib/wrk.ts: sets the request from the environment and, at the end,
-- prints one line `SERVEY_WRK_RESULT {json}` that the bench parses into its round results.
--
-- Why a script and not wrk's text: the text rounds latencies to two digits in mixed units, and
-- its "Non-2xx or 3xx responses" line counts only statuses above 399 (response_complete in
-- wrk.c), so a 3xx or a 1xx would pass as a success. response() classifies every answer here.

local method = os.getenv('SERVEY_WRK_METHOD')
if method ~= nil and method ~= '' then wrk.method = method end
local body = os.getenv('SERVEY_WRK_BODY')
if body ~= nil and body ~= '' then wrk.body = body end
-- Unset: any 2xx is a success. Set (304 for revalidation): only that status is.
local expected_status = tonumber(os.getenv('SERVEY_WRK_EXPECTED_STATUS') or '')

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

-- Globals of each thread's own Lua state, read back with thread:get in done().
expected_count = 0
unexpected_count = 0

function response(status)
  local ok
  if expected_status ~= nil then
    ok = status == expected_status
  else
    ok = status >= 200 and status < 300
  end
  if ok then
    expected_count = expected_count + 1
  else
    unexpected_count = unexpected_count + 1
  end
end

-- wrk's own CPU time so far, all threads (they have been joined when done() runs), in clock
-- ticks; -1 where there is no /proc.
local function own_cpu_ticks()
  local file = io.open('/proc/self/stat', 'r')
  if file == nil then return -1 end
  local stat = file:read('*a')
  file:close()
  -- The command name (field 2) is in parentheses: count the fields from after the last ')'.
  local rest = stat:match('.*%)%s+(.*)')
  if rest == nil then return -1 end
  local fields = {}
  for field in rest:gmatch('%S+') do fields[#fields + 1] = field end
  -- fields[1] is field 3 (state), so utime (14) and stime (15) are fields[12] and fields[13].
  return tonumber(fields[12]) + tonumber(fields[13])
end

function done(summary, latency, requests)
  local expected_total, unexpected_total = 0, 0
  for _, thread in ipairs(threads) do
    expected_total = expected_total + thread:get('expected_count')
    unexpected_total = unexpected_total + thread:get('unexpected_count')
  end
  io.write(string.format(
    'SERVEY_WRK_RESULT {"durationMicros":%.0f,"requests":%.0f,"expected":%.0f,"unexpected":%.0f,'
      .. '"errors":{"connect":%.0f,"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f},'
      .. '"latencyMicros":{"p50":%.0f,"p99":%.0f,"max":%.0f},"cpuTicks":%.0f}\n',
    summary.duration, summary.requests, expected_total, unexpected_total,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout, latency:percentile(50), latency:percentile(99), latency.max,
    own_cpu_ticks()))
end
