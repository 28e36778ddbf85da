-- wrk script for bench/writes.sh: one single-value record-set create per
-- request, with a name unique across threads and runs, and a count of every
-- response status (wrk itself counts only >= 400 as errors).
--   wrk ... -s writes.lua URL -- designate ZONE_ID ZONE_NAME TAG
--   wrk ... -s writes.lua URL -- pdns ZONE_NAME TAG API_KEY
-- designate: POST /v2/zones/<id>/recordsets {"name", "type": "A", "records": [ip]}
-- pdns:      PATCH /api/v1/servers/localhost/zones/<zone> with one rrset,
--            "changetype": "REPLACE", of a new name
-- At the end prints one line "WRITES_JSON {...}" (statuses, socket errors,
-- duration, latency percentiles) for writes_tool.py.
local threads = {}

function setup(thread)
    thread:set("tid", #threads)
    table.insert(threads, thread)
end

function init(args)
    mode = args[1]
    counter = 0
    statuses = {}
    if mode == "designate" then
        method = "POST"
        path = "/v2/zones/" .. args[2] .. "/recordsets"
        zone = args[3]
        tag = args[4]
        headers = { ["Content-Type"] = "application/json" }
    elseif mode == "pdns" then
        method = "PATCH"
        zone = args[2]
        tag = args[3]
        path = "/api/v1/servers/localhost/zones/" .. zone
        headers = { ["Content-Type"] = "application/json", ["X-API-Key"] = args[4] }
    else
        error("writes.lua: mode must be designate or pdns, not " .. tostring(mode))
    end
end

function request()
    counter = counter + 1
    local name = string.format("w%s-%d-%d.%s", tag, tid, counter, zone)
    local ip = string.format("192.0.2.%d", counter % 250 + 1)
    local body
    if mode == "designate" then
        body = string.format('{"name":"%s","type":"A","records":["%s"]}', name, ip)
    else
        body = string.format('{"rrsets":[{"name":"%s","type":"A","ttl":3600,'
            .. '"changetype":"REPLACE","records":[{"content":"%s","disabled":false}]}]}',
            name, ip)
    end
    return wrk.format(method, path, headers, body)
end

function response(status, headers, body)
    local key = tostring(status)
    statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
    local all = {}
    for _, thread in ipairs(threads) do
        for status, n in pairs(thread:get("statuses")) do
            all[status] = (all[status] or 0) + n
        end
    end
    local parts = {}
    for status, n in pairs(all) do
        table.insert(parts, string.format('"%s":%d', status, n))
    end
    local e = summary.errors
    io.write(string.format(
        'WRITES_JSON {"duration_us":%d,"requests":%d,"statuses":{%s},'
        .. '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},'
        .. '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
        summary.duration, summary.requests, table.concat(parts, ","),
        e.connect, e.read, e.write, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
