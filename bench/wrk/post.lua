-- wrk script for the Hookflow bench: POSTs one body with one content type, optionally stops
-- after BENCH_MAX_REQUESTS answers, and prints its summary as one JSON line (BENCH_JSON ...).

local body_file = os.getenv("BENCH_BODY_FILE")
local content_type = os.getenv("BENCH_CONTENT_TYPE") or "application/json"

wrk.method = "POST"
wrk.headers["Content-Type"] = content_type
if body_file then
  local file = assert(io.open(body_file, "rb"))
  wrk.body = file:read("*a")
  file:close()
end

local max_requests = tonumber(os.getenv("BENCH_MAX_REQUESTS") or "")
if max_requests then
  -- Defined only when needed: a response() callback makes wrk hand every answer to Lua.
  -- wrk keeps sleeping for the whole -d after a thread stops, so the marker line below tells the
  -- bench to send SIGINT: wrk then ends at once and still prints its summary.
  local answered = 0
  function response(status, headers, body)
    answered = answered + 1
    if answered == max_requests then
      io.stdout:write("BENCH_MAX_REACHED\n")
      io.stdout:flush()
      wrk.thread:stop()
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean
  ))
end
