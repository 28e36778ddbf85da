-- wrk script for bench/records.sh: COUNT Lexicon-style record operations on
-- one TXT set, one operation per request; the measured time ends at the
-- COUNT-th answer (wrk -t1 only: the counters are per thread).
--   wrk -t1 -cN -d10s -s records.lua URL -- create DOMAIN COUNT
--   wrk -t1 -cN -d10s -s records.lua URL -- delete DOMAIN COUNT
-- create: POST /v1/domains/D/records {"type":"TXT","name":"_acme-challenge","content":"token-i"}
-- delete: DELETE /v1/domains/D/records?type=TXT&name=_acme-challenge&content=token-i
-- Prints one line "RECORDS_JSON {...}" with the statuses and the time from
-- the first request to the COUNT-th response (monotonic clock through
-- LuaJIT's FFI: wrk itself only reports its whole -d window).
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local function now_us()
    local ts = ffi.new("bench_timespec")
    ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    mode = args[1]
    domain = args[2]
    count = tonumber(args[3])
    sent = 0
    answered = 0
    statuses = {}
    base = "/v1/domains/" .. domain .. "/records"
    headers = { ["Content-Type"] = "application/json" }
    if mode ~= "create" and mode ~= "delete" then
        error("records.lua: mode must be create or delete, not " .. tostring(mode))
    end
end

function request()
    -- Past COUNT the connections ask for a path no route serves (404,
    -- not counted) until the thread stops: wrk cannot leave them idle.
    -- (wrk builds one request per thread before the run and never sends
    -- it: one spare write keeps COUNT answers reachable.)
    if sent >= count + 1 then
        return wrk.format("GET", "/bench-idle")
    end
    local i = sent
    if sent == 0 then first_us = now_us() end
    sent = sent + 1
    local content = string.format("token-%05d", i)
    if mode == "create" then
        local body = string.format(
            '{"type":"TXT","name":"_acme-challenge","content":"%s"}', content)
        return wrk.format("POST", base, headers, body)
    end
    return wrk.format("DELETE", base .. "?type=TXT&name=_acme-challenge&content=" .. content)
end

function response(status, headers, body)
    if answered >= count or status == 404 then return end
    answered = answered + 1
    local key = tostring(status)
    statuses[key] = (statuses[key] or 0) + 1
    if answered == count then
        elapsed_us = math.floor(now_us() - first_us)
    end
end

function done(summary, latency, requests)
    local parts = {}
    for status, n in pairs(threads[1]:get("statuses")) do
        table.insert(parts, string.format('"%s":%d', status, n))
    end
    io.write(string.format(
        'RECORDS_JSON {"duration_us":%d,"requests":%d,"statuses":{%s},' ..
        '"latency_us":{"p50":%d,"p99":%d}}\n',
        threads[1]:get("elapsed_us") or -1, summary.requests, table.concat(parts, ","),
        latency:percentile(50), latency:percentile(99)))
end
