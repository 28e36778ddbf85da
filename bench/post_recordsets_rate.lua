-- wrk script for bench/hooks.py: like post_recordsets.lua, but each
-- connection waits so that all together send about RATE requests/s.
-- Usage: wrk -cN ... -s post_recordsets_rate.lua URL -- ZONE_ID ZONE_NAME RUN_TAG RATE CONNS
local threads = {}

function setup(thread)
    thread:set("tid", #threads)
    table.insert(threads, thread)
end

function init(args)
    path = "/v2/zones/" .. args[1] .. "/recordsets"
    zone = args[2]
    tag = args[3]
    rate = tonumber(args[4])
    conns = tonumber(args[5])
    counter = 0
    headers = { ["Content-Type"] = "application/json" }
end

function delay()
    return math.floor(1000 * conns / rate)
end

function request()
    counter = counter + 1
    local body = string.format(
        '{"name":"r%s-%d-%d.%s","type":"A","records":["192.0.2.%d"]}',
        tag, tid, counter, zone, counter % 250 + 1)
    return wrk.format("POST", path, headers, body)
end
