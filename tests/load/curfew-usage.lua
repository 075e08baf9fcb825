-- wrk script: GET usage for many subjects, all in the curfew (curfew-usage-load.sh sets the clock and creates load-0 ..).
local subjects = tonumber(os.getenv("SUBJECTS") or "1000")
local counter = 0

function request()
  counter = counter + 1
  return wrk.format("GET", "/teenmode/v1/subjects/load-" .. ((counter * 7919) % subjects) .. "/usage")
end

function done(summary, latency, requests)
  io.write(string.format("refusals: %d in %.1f s = %.0f/s; latency p50 %.1f ms, p99 %.1f ms; non-2xx or socket errors: %d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
