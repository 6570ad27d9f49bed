-- wrk script: each thread is one reader (one connection, one address) posting comments in a loop.
-- Counts outcomes per thread and prints totals in the key=value lines bench/load_comments reads.
local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  csrf_token, csrf_cookie, started, run_id = args[1], args[2], args[3], args[4]
  sent, accepted, limited, unreadable, server_errors, other = 0, 0, 0, 0, 0, 0
end

function request()
  sent = sent + 1
  local body = "author_name=Load+reader+" .. id
    .. "&author_email=load" .. id .. "%40example.com"
    .. "&body=load-test+" .. run_id .. "+" .. id .. "-" .. sent
    .. "&parent=&website=&started=" .. started
    .. "&csrfmiddlewaretoken=" .. csrf_token
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. csrf_cookie,
    ["X-Forwarded-For"] = "198.18." .. id .. ".1",
  }
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  if status == 302 then
    accepted = accepted + 1
  elseif status == 429 then
    limited = limited + 1
    if not string.find(body, "Please wait a little", 1, true) then unreadable = unreadable + 1 end
  elseif status >= 500 then
    server_errors = server_errors + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local totals = { accepted = 0, limited = 0, unreadable = 0, server_errors = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do totals[key] = totals[key] + thread:get(key) end
  end
  for _, key in ipairs({ "accepted", "limited", "unreadable", "server_errors", "other" }) do
    local name = key == "limited" and "refused_429" or (key == "unreadable" and "unreadable_refusals" or key)
    print(name .. "=" .. totals[key])
  end
end
