-- The wrk side of server-bench.sh: one of three requests, chosen by SB_OP.
--   healthz  GET /healthz (no key, no database): the HTTP exchange alone
--   read     GET one memory with its 1 KiB content, the thread's memories in turn
--   update   a 1 KiB conditional update (precondition content_sha256) of a memory no other request is updating:
--            each thread has its own memories in a queue; a request takes the first, the answer puts it back with
--            the content_sha256 it returned, so no precondition ever fails (any non-200 fails the run)
-- SB_DIR holds "memories" (lines "mem_id sha256") and "contents" (content A JSON-escaped, its sha256, then B's);
-- SB_KEY is the API key, SB_STORE the store, SB_THREADS wrk's -t.
local op = os.getenv("SB_OP")
local dir = os.getenv("SB_DIR")

local function lines(path)
  local t = {}
  for l in io.lines(path) do t[#t + 1] = l end
  return t
end

local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  if op == "healthz" then return end
  wrk.headers["x-api-key"] = os.getenv("SB_KEY")
  if op == "update" then wrk.headers["content-type"] = "application/json" end
  prefix = "/v1/memory_stores/" .. os.getenv("SB_STORE") .. "/memories/"
  local n = tonumber(os.getenv("SB_THREADS"))
  queue = {}
  for i, l in ipairs(lines(dir .. "/memories")) do
    local id, sha = l:match("^(%S+) (%x+)$")
    if (i - 1) % n == tid then queue[#queue + 1] = {id = id, sha = sha} end
  end
  local c = lines(dir .. "/contents")
  contentA, shaA, contentB = c[1], c[2], c[3]
  nextRead = 1
end

if op == "read" then
  function request()
    local m = queue[nextRead]
    nextRead = nextRead % #queue + 1
    return wrk.format("GET", prefix .. m.id)
  end
elseif op == "update" then
  function request()
    local m = table.remove(queue, 1)
    if m == nil then error("no memory left to update: an update failed (see above)") end
    local content = (m.sha == shaA) and contentB or contentA
    return wrk.format("POST", prefix .. m.id, nil, '{"content":"' .. content
        .. '","precondition":{"type":"content_sha256","content_sha256":"' .. m.sha .. '"}}')
  end

  function response(status, headers, body)
    if status ~= 200 then
      io.stderr:write("update answered " .. status .. ": " .. body .. "\n")
      return
    end
    queue[#queue + 1] = {id = body:match('"id":"(mem_[^"]+)"'), sha = body:match('"content_sha256":"(%x+)"')}
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK ops_s=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d socket_errors=%d\n",
      summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
