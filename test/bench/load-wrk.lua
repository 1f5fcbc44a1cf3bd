-- The load mix for wrk (Debian's wrk 4.1, LuaJIT), driven by test/bench/wrk.ts: reads of a line's subscription,
-- top-ups and renewals by card on the bench's accounts, every money request with a new idempotency key; or (mode
-- "health") only the service's health route, the peer. wrk is a C client on epoll: thousands of connections cost
-- it a small fraction of a core, so the machine's CPU goes to the service under test, not to its clients.
--
-- Arguments (after `--`): accounts file (a Lua chunk returning { {line=, token=, pm=}, ... }), seconds of money
-- traffic, top-up amount (minor units), mode ("mixed" | "health"), run tag (keeps keys unique across runs).
--
-- What it counts, per thread, for done() to print as one JSON line (`WRK_RESULT {...}`):
--  * answers by kind, told apart by the answer itself (wrk's response() is not told which request it answers):
--    201 = a renewal paid (only checkout answers 201), 200 with "lastTopUp" = a top-up (a balance view; reads ask
--    for the subscription, which has no such field), 200 with the health body = the drain's health checks, other
--    200 = a read; 409 coverage-cap (a line already paid up to the furthest date allowed: the intended answer);
--    503 with Retry-After (admission control, or HAProxy shedding); anything else is an error, its body kept.
--  * money requests sent. After `seconds` a connection sends nothing more once answered (the drain), so each money
--    request sent is answered before wrk stops and the bench can hold the database's count to the 200/201s; a
--    connection whose Retry-After wait ends past `seconds` sends a health check, counted apart (HAProxy may answer
--    it 503 after its queue timeout, which must not be taken for a money request's answer).
-- A 503 is waited out as the app does (Retry-After plus up to half again): response() queues the wait and the
-- next delay() call of the same thread takes it. wrk does not say which connection asks for its delay, so the
-- wait goes to the thread's next request (usually the same connection's: its answer makes it the next writer);
-- the count of waits is exact, their pairing approximate.

local accounts, stopAt, topUp, mode, tag
local seq = 0
-- Globals, not locals: done() reads them from each thread with thread:get().
sent = 0
healthSent = 0
counts = {}
errorBodies = {}
local waits = {}
local waitHead, waitTail = 1, 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("threadNo", #threads)
end

function init(args)
  accounts = dofile(args[1])
  stopAt = os.time() + tonumber(args[2])
  topUp = tonumber(args[3])
  mode = args[4]
  tag = args[5]
  math.randomseed(os.time() * 1000 + threadNo)
end

local function key()
  seq = seq + 1
  return string.format("w%s-%d-%d-%08x%08x", tag, threadNo, seq, math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
end

local function health()
  return wrk.format("GET", "/v1/health", {})
end

function request()
  if mode == "health" then
    return health()
  end
  if os.time() >= stopAt then
    -- Past the money traffic (a connection whose wait ended after it): a health check, counted, so that its
    -- answer, a 200 or HAProxy's 503 after `timeout queue`, is not taken for a money request's.
    healthSent = healthSent + 1
    return health()
  end
  local a = accounts[math.random(#accounts)]
  local auth = "Bearer " .. a.token
  local roll = math.random()
  sent = sent + 1
  if roll < 0.6 then
    return wrk.format("GET", "/v1/lines/" .. a.line .. "/subscription", { Authorization = auth })
  elseif roll < 0.85 then
    local body = string.format(
      '{"idempotencyKey":"%s","amountMinor":%d,"payment":{"paymentMethodId":"%s"}}', key(), topUp, a.pm)
    return wrk.format("POST", "/v1/balance/top-up", { Authorization = auth, ["Content-Type"] = "application/json" }, body)
  else
    local body = string.format(
      '{"idempotencyKey":"%s","items":[{"kind":"renewal","lineId":"%s","planId":"line-1m@1"}],"payment":{"paymentMethodId":"%s"}}',
      key(), a.line, a.pm)
    return wrk.format("POST", "/v1/checkout", { Authorization = auth, ["Content-Type"] = "application/json" }, body)
  end
end

local function count(k)
  counts[k] = (counts[k] or 0) + 1
end

function response(status, headers, body)
  if status == 200 and body:find('"status":"ok"', 1, true) and body:find('"version"', 1, true) then
    count("health")
  elseif status == 201 then
    count("renewal")
  elseif status == 200 and body:find('"lastTopUp"', 1, true) then
    count("topUp")
  elseif status == 200 then
    count("read")
  elseif status == 409 and body:find("coverage-cap", 1, true) then
    count("capped")
  elseif status == 503 then
    local after = tonumber(headers["Retry-After"] or headers["retry-after"] or "")
    if after and after > 0 then
      count("refused")
      waitTail = waitTail + 1
      waits[waitTail] = after * 1000 * (1 + 0.5 * math.random())
    else
      count("503 without Retry-After")
    end
  else
    count(tostring(status))
    if #errorBodies < 5 then
      table.insert(errorBodies, tostring(status) .. " " .. body:sub(1, 200))
    end
  end
end

function delay()
  -- The drain: once the money traffic is over, a connection whose answer came back sends nothing more (wrk stops
  -- before the wait ends), so the drain costs the machine nothing and the last money requests are answered.
  if mode ~= "health" and os.time() >= stopAt then
    return 3600000
  end
  if waitHead <= waitTail then
    local ms = waits[waitHead]
    waits[waitHead] = nil
    waitHead = waitHead + 1
    return ms
  end
  return 0
end

local function json(v)
  if type(v) == "table" then
    local parts = {}
    if #v > 0 then
      for _, x in ipairs(v) do
        table.insert(parts, json(x))
      end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    for k, x in pairs(v) do
      table.insert(parts, string.format("%q:%s", tostring(k), json(x)))
    end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif type(v) == "string" then
    return '"' .. v:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
  end
  return tostring(v)
end

-- This process's CPU time (user + system, clock ticks), read here because wrk is gone when the bench could read it.
local function cpuTicks()
  local f = io.open("/proc/self/stat")
  if not f then return 0 end
  local line = f:read("*l")
  f:close()
  local rest = line:match("%) (.*)")
  local fields = {}
  for x in rest:gmatch("%S+") do
    table.insert(fields, x)
  end
  -- After the command's ")": field 3 is state, so utime (14) and stime (15) are the 12th and 13th.
  return tonumber(fields[12]) + tonumber(fields[13])
end

function done(summary, latency, requests)
  local total = {}
  local bodies = {}
  local sentAll = 0
  local healthSentAll = 0
  for _, t in ipairs(threads) do
    for k, n in pairs(t:get("counts")) do
      total[k] = (total[k] or 0) + n
    end
    for _, b in ipairs(t:get("errorBodies")) do
      table.insert(bodies, b)
    end
    sentAll = sentAll + t:get("sent")
    healthSentAll = healthSentAll + t:get("healthSent")
  end
  io.write("WRK_RESULT " .. json({
    counts = total,
    sent = sentAll,
    healthSent = healthSentAll,
    errorBodies = bodies,
    requests = summary.requests,
    durationUs = summary.duration,
    socketErrors = summary.errors,
    latencyUs = { p50 = latency:percentile(50), p99 = latency:percentile(99), max = latency.max },
    cpuTicks = cpuTicks()
  }) .. "\n")
end
