-- wrk script: heartbeats from many subjects and devices, each (subject, device, sequence) new, so every one is counted.
-- Subjects load-0 .. load-(SUBJECTS-1) must exist; heartbeat-load.sh creates them.
local subjects = tonumber(os.getenv("SUBJECTS") or "1000")
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  thread_id = tid
end

function request()
  counter = counter + 1
  local subject = (counter * 7919 + thread_id) % subjects
  local body = string.format('{"deviceId":"w%d","sequence":%d,"seconds":1}', thread_id, counter)
  return wrk.format("POST", "/teenmode/v1/subjects/load-" .. subject .. "/heartbeats", { ["Content-Type"] = "application/json" }, body)
end


function done(summary, latency, requests)
  io.write(string.format("heartbeats: %d in %.1f s = %.0f/s; latency p50 %.1f ms, p99 %.1f ms; non-2xx or socket errors: %d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
