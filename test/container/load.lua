-- wrk script of the container check (load.js saturation): at the end of a run, one JSON line
-- on stdout with the counts and the latency percentiles (microseconds, from wrk's own histogram
-- of every response). HSK_LOAD_AUTH_HEADER ("Name: value"), when set, goes on every request.
local auth = os.getenv("HSK_LOAD_AUTH_HEADER")
if auth and auth ~= "" then
  local name, value = auth:match("^([^:]+):%s*(.+)$")
  if name then wrk.headers[name] = value end
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,' ..
      '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, errors.connect, errors.read, errors.write, errors.status,
    errors.timeout))
end
