-- wrk script for bench/api.sh: POSTs record sets with names unique across
-- threads and runs. Usage: wrk ... -s post_recordsets.lua URL -- ZONE_ID ZONE_NAME RUN_TAG
local threads = {}

function setup(thread)
    thread:set("tid", #threads)
    table.insert(threads, thread)
end

function init(args)
    path = "/v2/zones/" .. args[1] .. "/recordsets"
    zone = args[2]
    tag = args[3]
    counter = 0
    headers = { ["Content-Type"] = "application/json" }
end

function request()
    counter = counter + 1
    local body = string.format(
        '{"name":"p%s-%d-%d.%s","type":"A","records":["192.0.2.%d"]}',
        tag, tid, counter, zone, counter % 250 + 1)
    return wrk.format("POST", path, headers, body)
end
