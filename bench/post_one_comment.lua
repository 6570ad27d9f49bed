-- wrk script for bench/run: every request is a new reader (own address) posting a unique comment.
local counter = 0
local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  csrf_token, csrf_cookie, started = args[1], args[2], args[3]
  run = os.time()  -- keeps texts unique when a kept database is measured again
end

function request()
  counter = counter + 1
  local reader = id .. "-" .. counter
  local body = "author_name=Bench+reader&author_email=bench" .. reader .. "%40example.com"
    .. "&body=Benchmark+comment+" .. run .. "-" .. reader .. "&parent=&website=&started=" .. started
    .. "&csrfmiddlewaretoken=" .. csrf_token
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. csrf_cookie,
    ["X-Forwarded-For"] = "10." .. id .. "." .. (math.floor(counter / 250) % 250) .. "." .. (counter % 250),
  }
  return wrk.format("POST", nil, headers, body)
end
