/**
 * The server-side scripts that keep a member's state in Redis (key layout: storage/redis/member-keys.ts). The
 * event semantics are those of serving/online/member-events.ts (the in-process state), written once
 * more in Lua so one script call applies a member's events atomically on the shard that holds them;
 * the member-state contract suite holds the two to the same answers.
 *
 * Idempotent: counters (rentals, fit reports, size scores) move only for an event id not in the
 * member's `seen` window; marks and recent entries are set-like (a second write changes nothing).
 * Order-tolerant: rent/return compare timestamps, recent entries are ordered by ts.
 */
import { EVENT_TYPES } from '../../../core/types.ts';
import { MEMBER_KEY_COUNT } from '../../../storage/redis/member-keys.ts';
import { FIT_REPORT_SCORE, MAX_MARKS, PASSIVE_TYPES, POSITIVE_WEIGHT, TYPE_CODE } from '../event-signals.ts';

/** Fields per event in a script's ARGV and in the rebuild queue: id, type, ts, item, size, occasion, fit. */
export const EVENT_FIELDS = 7;
/** A queue entry that carries a profile (JSON in the item field) instead of an event. */
export const PROFILE_ENTRY = '@profile';

const luaSet = (names: Iterable<string>): string => `{${[...names].map((n) => `[${JSON.stringify(n)}]=true`).join(',')}}`;
const luaMap = (entries: Iterable<[string, number]>): string => `{${[...entries].map(([k, v]) => `[${JSON.stringify(k)}]=${v}`).join(',')}}`;

// KEYS: state, recent, queue, profile, building. ARGV[1..4]: ttl ms, recent limit, seen window, (unused)
const PRELUDE = `
local ST, RC, Q, PF, BLD = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local TTL, RECENT_LIMIT, SEEN_WINDOW = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local MAX_MARKS = ${MAX_MARKS}
local POSITIVE = ${luaSet(Object.keys(POSITIVE_WEIGHT))}
local PASSIVE = ${luaSet(PASSIVE_TYPES)}
local TYPE_CODE = ${luaMap(EVENT_TYPES.map((t) => [t, TYPE_CODE[t]]))}
local FIT_SCORE = ${luaMap(Object.entries(FIT_REPORT_SCORE))}
local HEART = TYPE_CODE['heart']

local function num(x) return string.format('%.17g', x) end

local function count_size(size, rents, fit_score)
  local f = 's:' .. size
  local cur = redis.call('HGET', ST, f)
  local r, s, o = 0, 0, nil
  if cur then
    local a, b, c = string.match(cur, '^([^|]*)|([^|]*)|(.*)$')
    r, s, o = tonumber(a), tonumber(b), c
  else
    o = tostring(redis.call('HINCRBY', ST, 'sn', 1))
  end
  redis.call('HSET', ST, f, num(r + rents) .. '|' .. num(s + fit_score) .. '|' .. o)
end

local function drop_oldest_mark()
  local all = redis.call('HGETALL', ST)
  local oldest, oldest_ts, any_held = nil, nil, nil
  for i = 1, #all, 2 do
    local k = string.sub(all[i], 1, 2)
    if k == 'r:' or k == 'p:' or k == 'd:' then
      local t = tonumber(all[i + 1])
      if oldest == nil or t < oldest_ts then oldest, oldest_ts = all[i], t end
    elseif k == 'h:' and any_held == nil then any_held = all[i] end
  end
  local victim = oldest or any_held
  if victim then
    redis.call('HDEL', ST, victim)
    redis.call('HINCRBY', ST, 'mc', -1)
  end
end

-- adds the mark, or moves its ts forward when it exists
local function set_mark(kind, item, ts)
  local f = kind .. ':' .. item
  local cur = redis.call('HGET', ST, f)
  if cur then
    if tonumber(cur) < ts then redis.call('HSET', ST, f, num(ts)) end
    return
  end
  if tonumber(redis.call('HGET', ST, 'mc') or '0') >= MAX_MARKS then drop_oldest_mark() end
  redis.call('HSET', ST, f, num(ts))
  redis.call('HINCRBY', ST, 'mc', 1)
end

local function end_rental(item, ts)
  local f = 'h:' .. item
  local held = redis.call('HGET', ST, f)
  if held and tonumber(held) <= ts then
    redis.call('HDEL', ST, f)
    redis.call('HINCRBY', ST, 'mc', -1)
  end
end

-- a short profile rides in the state hash (a key costs more than the bytes); a long one gets its own
-- key, so the hash keeps its compact encoding (values up to 64 bytes)
local function set_profile(json)
  if json == '' then
    redis.call('DEL', PF)
    redis.call('HDEL', ST, 'pf')
  elseif #json <= 64 then
    redis.call('HSET', ST, 'pf', json)
    redis.call('DEL', PF)
  else
    redis.call('SET', PF, json)
    redis.call('HDEL', ST, 'pf')
  end
end

-- a duplicate of a counting event (by id) counts once while its id is among the last SEEN_WINDOW
local function first_time(id, ts)
  -- 32 bits of the id's SHA-1 (ids are often 36-byte UUIDs), newest first in the hash field 'sd';
  -- at 8 of them the field fits the hash's compact encoding; a false match is ~2e-9 a lookup
  local h = string.sub(redis.sha1hex(id), 1, 8)
  local seen = redis.call('HGET', ST, 'sd') or ''
  for at = 1, #seen, 8 do
    if string.sub(seen, at, at + 7) == h then return false end
  end
  redis.call('HSET', ST, 'sd', string.sub(h .. seen, 1, 8 * SEEN_WINDOW))
  return true
end

-- one event (ARGV-like array a, fields from index i); count: false when the store's aggregates replace the counters
local function apply_event(a, i, count)
  local id, typ, ts, item, size, occ, fit = a[i], a[i + 1], tonumber(a[i + 2]), a[i + 3], a[i + 4], a[i + 5], a[i + 6]
  if typ == '${PROFILE_ENTRY}' then
    set_profile(item)
    if item ~= '' then redis.call('HSET', ST, 'kn', 1) end
    return true
  end
  if typ ~= 'impression' then
    local le = redis.call('HGET', ST, 'le')
    if le == false or tonumber(le) < ts then redis.call('HSET', ST, 'le', a[i + 2]) end
  end
  local changed = redis.call('HGET', ST, 'kn') ~= '1'
  redis.call('HSET', ST, 'kn', 1)
  local counting = typ == 'rent' or (size ~= '' and fit ~= '')
  -- ids are remembered even when the store's aggregates count (a rebuild), so a queued duplicate is known
  local fresh = counting and first_time(id, ts)
  if count and fresh then
    if size ~= '' then
      local score = 0
      if fit ~= '' then score = FIT_SCORE[fit] or 0 end
      local r = 0
      if typ == 'rent' then r = 1 end
      count_size(size, r, score)
      if fit ~= '' then redis.call('HINCRBY', ST, 'fr', 1) end
      changed = true
    end
    if typ == 'rent' then redis.call('HINCRBY', ST, 'rn', 1) end
  end
  if PASSIVE[typ] or item == '' then return changed end
  if POSITIVE[typ] then
    -- the ts is the score; it joins the entry only to tell apart two such positives at different times
    local m = TYPE_CODE[typ] .. '\\t' .. item .. '\\t' .. size .. '\\t' .. occ
    local cur = redis.call('ZSCORE', RC, m)
    if cur and tonumber(cur) ~= ts then m = m .. '\\t' .. a[i + 2] end
    redis.call('ZADD', RC, ts, m)
    local n = redis.call('ZCARD', RC)
    if n > RECENT_LIMIT then redis.call('ZREMRANGEBYRANK', RC, 0, n - RECENT_LIMIT - 1) end
  end
  if typ == 'rent' then
    local ret = redis.call('HGET', ST, 'r:' .. item)
    if ret == false or tonumber(ret) <= ts then set_mark('h', item, ts) end
  elseif typ == 'return' then
    end_rental(item, ts)
    set_mark('r', item, ts)
  elseif typ == 'purchase' then
    end_rental(item, ts)
    set_mark('p', item, ts)
  elseif typ == 'unheart' then
    for _, m in ipairs(redis.call('ZRANGEBYSCORE', RC, '-inf', ts)) do
      local code, it = string.match(m, '^([^\\t]*)\\t([^\\t]*)\\t')
      if tonumber(code) == HEART and it == item then redis.call('ZREM', RC, m) end
    end
  elseif typ == 'dismiss' then
    set_mark('d', item, ts)
  end
  return true
end

local function touch_ttl()
  redis.call('PEXPIRE', ST, TTL)
  redis.call('PEXPIRE', RC, TTL)
  redis.call('PEXPIRE', PF, TTL)
end
`;

// one member's events ARGV[from..to] (EVENT_FIELDS each) on the member whose keys ST, RC, Q, PF, BLD name.
// While a rebuild is under way the events also wait in its queue, which the install applies: the install
// replaces the state hash, so events applied to a member there (one stamped with an older epoch) after
// the rebuild read the store would otherwise be lost (issue 23). A member not in Redis and not being
// rebuilt is left alone (the store has the events; the next read rebuilds it). 1 applied, 0 absent, -1 queued only
const APPLY_MEMBER = `
local function apply_member(from, to)
  if redis.call('EXISTS', BLD) == 1 then
    for i = from, to do redis.call('RPUSH', Q, ARGV[i]) end
    redis.call('PEXPIRE', Q, 60000)
    if redis.call('HEXISTS', ST, 'ep') == 0 then return -1 end
  elseif redis.call('HEXISTS', ST, 'ep') == 0 then
    return 0
  end
  local changed = false
  for i = from, to, ${EVENT_FIELDS} do
    if apply_event(ARGV, i, true) then changed = true end
  end
  if changed then redis.call('HINCRBY', ST, 'rv', 1) end
  touch_ttl()
  return 1
end
`;

/** Applies one member's events (ARGV[5..], EVENT_FIELDS each). Returns 1 applied, 0 absent, -1 queued. */
export const APPLY_EVENTS = `${PRELUDE}${APPLY_MEMBER}
return apply_member(5, #ARGV)
`;

/**
 * APPLY_EVENTS for many members in one call (fewer round trips and script calls per ingest batch):
 * KEYS are MEMBER_KEY_COUNT per member; ARGV[5..] per member, in the same order, its event count n
 * then n × EVENT_FIELDS. Every member is applied exactly as APPLY_EVENTS would. On Redis Cluster all
 * members of one call must share a hash slot. Returns each member's answer, in order.
 */
export const APPLY_MEMBERS = `${PRELUDE}${APPLY_MEMBER}
local answers = {}
local at = 5
for m = 0, #KEYS / ${MEMBER_KEY_COUNT} - 1 do
  local k = m * ${MEMBER_KEY_COUNT}
  ST, RC, Q, PF, BLD = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5]
  local from = at + 1
  at = from + tonumber(ARGV[at]) * ${EVENT_FIELDS}
  answers[m + 1] = apply_member(from, at - 1)
end
return answers
`;

/**
 * Installs a member rebuilt from the store, unless one built under the same epoch is there already
 * (another node was first: its state has every event since, so it is kept). ARGV[4] epoch, [5]
 * profile JSON or '', [6] known 0/1, [7] 1 when aggregates follow, [8] rentals, [9] fit reports,
 * [10] lastEventAt or '', [11] n sizes then (size, rents, fit score) × n, then n held then items,
 * then the history's events oldest first. Then applies what waited in the queue. Returns 1, or 0 when kept.
 */
export const INSTALL_MEMBER = `${PRELUDE}
local epoch = ARGV[4]
if redis.call('HGET', ST, 'ep') == epoch then
  -- the member there has every event since its install (the queue's copies included): drop those copies
  redis.call('DEL', Q, BLD)
  return 0
end
-- the marker lapsed: events may have gone by unqueued, so this build is stale (the caller rebuilds again)
if redis.call('EXISTS', BLD) == 0 then return -2 end
redis.call('DEL', ST, RC, PF)
local t = redis.call('TIME')
-- a revision no earlier life of this member used (a node's page cache is keyed by it)
redis.call('HSET', ST, 'ep', epoch, 'rv', string.format('%d%06d', t[1], t[2]), 'kn', ARGV[6], 'mc', 0)
if ARGV[5] ~= '' then set_profile(ARGV[5]) end
local aggregates = ARGV[7] == '1'
local i = 11
local n_sizes = tonumber(ARGV[i]); i = i + 1
local sizes_at = i; i = i + 3 * n_sizes
local n_held = tonumber(ARGV[i]); i = i + 1
local held_at = i; i = i + n_held
for j = i, #ARGV, ${EVENT_FIELDS} do apply_event(ARGV, j, not aggregates) end
if aggregates then
  redis.call('HSET', ST, 'rn', ARGV[8], 'fr', ARGV[9])
  if ARGV[10] == '' then redis.call('HDEL', ST, 'le') else redis.call('HSET', ST, 'le', ARGV[10]) end
  for j = 0, n_sizes - 1 do
    local at = sizes_at + 3 * j
    count_size(ARGV[at], tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2]))
  end
  local keep = {}
  for j = 0, n_held - 1 do keep[ARGV[held_at + j]] = true end
  local all = redis.call('HGETALL', ST)
  for j = 1, #all, 2 do
    local f = all[j]
    if string.sub(f, 1, 2) == 'h:' then
      local it = string.sub(f, 3)
      if keep[it] then keep[it] = nil else redis.call('HDEL', ST, f); redis.call('HINCRBY', ST, 'mc', -1) end
    end
  end
  -- held before the history window: rented at an unknown time (ts 0)
  for j = 0, n_held - 1 do
    local it = ARGV[held_at + j]
    if keep[it] then set_mark('h', it, 0); keep[it] = nil end
  end
end
local queued = redis.call('LRANGE', Q, 0, -1)
for j = 1, #queued, ${EVENT_FIELDS} do apply_event(queued, j, true) end
redis.call('DEL', Q, BLD)
touch_ttl()
return 1
`;

/**
 * A profile change (PUT /v1/users): ARGV[4] the profile JSON or ''. Applied to a member in Redis,
 * queued for a rebuild under way, else nothing (the next rebuild reads it). Returns 1, -1 or 0.
 */
export const APPLY_PROFILE = `${PRELUDE}
if redis.call('EXISTS', BLD) == 1 then
  redis.call('RPUSH', Q, '', '${PROFILE_ENTRY}', '0', ARGV[4], '', '', '')
  redis.call('PEXPIRE', Q, 60000)
  if redis.call('HEXISTS', ST, 'ep') == 0 then return -1 end
elseif redis.call('HEXISTS', ST, 'ep') == 0 then
  return 0
end
apply_event({'', '${PROFILE_ENTRY}', '0', ARGV[4], '', '', ''}, 1, true)
redis.call('HINCRBY', ST, 'rv', 1)
touch_ttl()
return 1
`;
