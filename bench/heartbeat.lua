-- wrk script: logged-in editors send the change form's heartbeat (articles/presence.py) in turn.
-- Arguments: one "<story id>,<session key>,<csrf secret>" per editor (bench/churn.py sessions).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  editors = {}
  for _, line in ipairs(args) do
    local story, session, csrf = line:match("([^,]+),([^,]+),([^,]+)")
    table.insert(editors, {story = story, session = session, csrf = csrf})
  end
  position = math.random(#editors)
  failures = 0
end

function request()
  position = position % #editors + 1
  local editor = editors[position]
  local headers = {
    ["Cookie"] = "sessionid=" .. editor.session .. "; csrftoken=" .. editor.csrf,
    ["X-CSRFToken"] = editor.csrf,
    ["Content-Length"] = "0",
  }
  return wrk.format("POST", "/admin/articles/article/" .. editor.story .. "/presence/", headers, "")
end

function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("failures") end
  print("heartbeat_failures=" .. total)
end
