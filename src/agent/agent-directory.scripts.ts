/**
 * Lua run by Redis for RedisAgentDirectory, so that reading a host's holder and changing it is one
 * step no other instance can come between. A holder is `<instanceId>/<socketId>`.
 */

/** KEYS[1] host key; ARGV: new holder, TTL ms. Takes the host, answers the previous holder (or false). */
export const CLAIM = `
local previous = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return previous`;

/**
 * KEYS[1] host key; ARGV[1] the closing socket's holder. Deletes the key only while it still names
 * that socket (compare-and-delete): 1 when nobody holds the host now, 0 when a newer socket does.
 */
export const RELEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
if not holder then return 1 end
return 0`;

/**
 * KEYS host keys; ARGV[1] TTL ms, ARGV[1 + i] the holder this instance believes for KEYS[i].
 * Extends each key still held, takes back one that expired (Redis was away longer than the TTL),
 * and answers the 1-based positions of keys a newer socket holds.
 */
export const REFRESH = `
local lost = {}
for i, key in ipairs(KEYS) do
  local holder = redis.call('GET', key)
  if holder == ARGV[i + 1] then redis.call('PEXPIRE', key, ARGV[1])
  elseif not holder then redis.call('SET', key, ARGV[i + 1], 'PX', ARGV[1])
  else lost[#lost + 1] = i end
end
return lost`;
