/**
 * Lua scripts run atomically inside Redis, so every instance sees one set of counters. They
 * mirror gcra.ts exactly (same drain, same admission rule, same cap on costs) and read the
 * clock from Redis (TIME) so instances with skewed clocks still agree.
 *
 * Keys: KEYS[1] hash {rl, ra, tl, ta} (request/token level and last update, ms);
 *       KEYS[2] sorted set of concurrency leases scored by expiry (ms).
 */

// Shared prelude: clock, drain and admission, in gcra.ts's terms.
const PRELUDE = `
local PERIOD = 60000
local EPS = 1e-9
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local function drain(level, at, limit)
  if not level then return 0 end
  local elapsed = now - at
  if elapsed < 0 then elapsed = 0 end
  local l = level - elapsed * limit / PERIOD
  if l < 0 then return 0 end
  return l
end
local function fmt(x) return string.format('%.6f', x) end
`;

/**
 * ARGV: rpm, tpm, maxConcurrent (0 = none), estimated tokens, lease id, lease ttl ms.
 * Returns {allowed, reason, retryAfterMs, reqRemaining, reqResetMs, tokRemaining, tokResetMs} as strings.
 */
export const ACQUIRE_SCRIPT = `${PRELUDE}
local rpm = tonumber(ARGV[1])
local tpm = tonumber(ARGV[2])
local maxc = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local st = redis.call('HMGET', KEYS[1], 'rl', 'ra', 'tl', 'ta')
local reason = ''
local retry = 0
local function check(level, limit, c)
  if c > limit then c = limit end
  local after = level + c
  if after <= limit + EPS then
    return true, after, math.floor(limit - after + EPS), math.ceil(after * PERIOD / limit), 0
  end
  return false, level, math.floor(limit - level + EPS), math.ceil(level * PERIOD / limit),
    math.ceil((after - limit) * PERIOD / limit)
end
local rok, rlevel, rrem, rreset, rretry = true, 0, 0, 0, 0
local tok, tlevel, trem, treset, tretry = true, 0, 0, 0, 0
if rpm > 0 then
  rok, rlevel, rrem, rreset, rretry = check(drain(tonumber(st[1]), tonumber(st[2]), rpm), rpm, 1)
end
if tpm > 0 then
  tok, tlevel, trem, treset, tretry = check(drain(tonumber(st[3]), tonumber(st[4]), tpm), tpm, cost)
end
if maxc > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= maxc then reason = 'concurrency'; retry = 1000 end
end
if not rok and rretry >= retry then reason = 'rpm'; retry = rretry end
if not tok and tretry >= retry then reason = 'tpm'; retry = tretry end
if reason == '' then
  if rpm > 0 then redis.call('HSET', KEYS[1], 'rl', fmt(rlevel), 'ra', fmt(now)) end
  if tpm > 0 then redis.call('HSET', KEYS[1], 'tl', fmt(tlevel), 'ta', fmt(now)) end
  redis.call('PEXPIRE', KEYS[1], PERIOD * 2)
  if maxc > 0 then
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[6]), ARGV[5])
    redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[6]) * 2)
  end
end
return {reason == '' and '1' or '0', reason, tostring(retry), tostring(rrem), tostring(rreset), tostring(trem), tostring(treset)}
`;

/** ARGV: tpm (0 = none), token delta (actual − charged), lease id ('' = none). */
export const RELEASE_SCRIPT = `${PRELUDE}
local tpm = tonumber(ARGV[1])
local delta = tonumber(ARGV[2])
if ARGV[3] ~= '' then redis.call('ZREM', KEYS[2], ARGV[3]) end
if tpm > 0 and delta ~= 0 then
  local st = redis.call('HMGET', KEYS[1], 'tl', 'ta')
  local level = drain(tonumber(st[1]), tonumber(st[2]), tpm) + delta
  if level < 0 then level = 0 end
  redis.call('HSET', KEYS[1], 'tl', fmt(level), 'ta', fmt(now))
  -- Usage above the limit takes longer than a period to drain: keep the state that long.
  redis.call('PEXPIRE', KEYS[1], math.max(PERIOD * 2, math.ceil(level * PERIOD / tpm) + PERIOD))
end
return 1
`;

/** ARGV: new expiry ms offset, then lease ids. Extends the leases this instance still holds. */
export const REFRESH_SCRIPT = `${PRELUDE}
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return 1
`;

/**
 * Leases (limits.lease): takes up to a batch of requests and tokens out of the shared buckets at
 * once, for one instance to hand out locally. The first request's own cost must fit, by the same
 * rule as ACQUIRE; the rest of the batch is whatever else fits, up to what was asked.
 * ARGV: rpm, tpm (0 = none), requests wanted (≥ 1), tokens wanted, this request's token cost.
 * Returns {allowed, reason, retryAfterMs, requestsGranted, tokensGranted,
 *          reqRemaining, reqResetMs, tokRemaining, tokResetMs} as strings.
 */
export const LEASE_SCRIPT = `${PRELUDE}
local rpm = tonumber(ARGV[1])
local tpm = tonumber(ARGV[2])
local wantR = tonumber(ARGV[3])
local wantT = tonumber(ARGV[4])
local cost = tonumber(ARGV[5])
local st = redis.call('HMGET', KEYS[1], 'rl', 'ra', 'tl', 'ta')
local rlevel, tlevel = 0, 0
local reason, retry = '', 0
local gotR, gotT = 0, 0
if rpm > 0 then
  rlevel = drain(tonumber(st[1]), tonumber(st[2]), rpm)
  if rlevel + 1 > rpm + EPS then
    reason = 'rpm'; retry = math.ceil((rlevel + 1 - rpm) * PERIOD / rpm)
  else
    gotR = math.max(1, math.min(wantR, math.floor(rpm - rlevel + EPS)))
  end
end
if tpm > 0 then
  if cost > tpm then cost = tpm end
  tlevel = drain(tonumber(st[3]), tonumber(st[4]), tpm)
  if tlevel + cost > tpm + EPS then
    local tretry = math.ceil((tlevel + cost - tpm) * PERIOD / tpm)
    if tretry >= retry then reason = 'tpm'; retry = tretry end
  else
    gotT = math.max(cost, math.min(wantT, math.floor(tpm - tlevel + EPS)))
  end
end
if reason ~= '' then
  gotR, gotT = 0, 0
else
  if rpm > 0 then rlevel = rlevel + gotR; redis.call('HSET', KEYS[1], 'rl', fmt(rlevel), 'ra', fmt(now)) end
  if tpm > 0 then tlevel = tlevel + gotT; redis.call('HSET', KEYS[1], 'tl', fmt(tlevel), 'ta', fmt(now)) end
  redis.call('PEXPIRE', KEYS[1], PERIOD * 2)
end
local rrem, rreset, trem, treset = 0, 0, 0, 0
if rpm > 0 then rrem = math.max(0, math.floor(rpm - rlevel + EPS)); rreset = math.ceil(rlevel * PERIOD / rpm) end
if tpm > 0 then trem = math.max(0, math.floor(tpm - tlevel + EPS)); treset = math.ceil(tlevel * PERIOD / tpm) end
return {reason == '' and '1' or '0', reason, tostring(retry), tostring(gotR), tostring(gotT),
  tostring(rrem), tostring(rreset), tostring(trem), tostring(treset)}
`;

/**
 * Settles a lease: gives back what was not used and charges tokens used beyond the estimates.
 * ARGV: rpm, tpm (0 = none), requests returned, token delta (actual − charged − unused).
 */
export const SETTLE_SCRIPT = `${PRELUDE}
local rpm = tonumber(ARGV[1])
local tpm = tonumber(ARGV[2])
local backR = tonumber(ARGV[3])
local deltaT = tonumber(ARGV[4])
local st = redis.call('HMGET', KEYS[1], 'rl', 'ra', 'tl', 'ta')
if rpm > 0 and backR > 0 then
  local l = drain(tonumber(st[1]), tonumber(st[2]), rpm) - backR
  if l < 0 then l = 0 end
  redis.call('HSET', KEYS[1], 'rl', fmt(l), 'ra', fmt(now))
end
if tpm > 0 and deltaT ~= 0 then
  local l = drain(tonumber(st[3]), tonumber(st[4]), tpm) + deltaT
  if l < 0 then l = 0 end
  redis.call('HSET', KEYS[1], 'tl', fmt(l), 'ta', fmt(now))
  redis.call('PEXPIRE', KEYS[1], math.max(PERIOD * 2, math.ceil(l * PERIOD / tpm) + PERIOD))
end
return 1
`;
