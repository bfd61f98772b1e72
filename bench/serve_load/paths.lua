-- wrk script: every connection walks the dashboard's API calls in turn (a period's overview, an
-- operator's filter, a region breakdown, an indicator's history, the findings, /metrics), so the
-- load is the mix a room of people clicking through the dashboard makes.
local paths = {
  "/api/v1/periods",
  "/api/v1/periods/2022H2",
  "/api/v1/periods/2022H2/indicators",
  "/api/v1/periods/2022H2/indicators?operator=%E7%A7%BB%E5%8A%A8",
  "/api/v1/periods/2022H2/indicators?operator=%E8%81%94%E9%80%9A&breakdown=region&id=calls.*",
  "/api/v1/indicators/calls.connect_rate/history?operator=%E7%A7%BB%E5%8A%A8",
  "/api/v1/indicators/complaints.resolution_rate/history",
  "/api/v1/periods/2022H2/callers",
  "/api/v1/periods/2022H2/broadband?operator=%E7%94%B5%E4%BF%A1",
  "/api/v1/periods/2022H2/cells?format=geojson",
  "/api/v1/periods/2022H2/data-quality",
  "/metrics",
}
local counter = 0

function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
end

function init(args)
  i = offset
  if args[1] then
    wrk.headers["Authorization"] = "Bearer " .. args[1]
  end
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function done(summary, latency, requests)
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f errors_connect=%d errors_read=%d errors_write=%d " ..
    "errors_status=%d errors_timeout=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.duration / 1e6, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3))
end
