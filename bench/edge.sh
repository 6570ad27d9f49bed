# The edge cache (issue 26), sourced by bench/run (SCENARIOS=edge): the busy hour's 50 article pages in rotation
# through Varnish with xkey (deploy/varnish.vcl.in) in front of gunicorn, against the same rotation from the Python
# page cache and one page from nginx as a static file, in one run. CPU per request counts every process that
# answers: Varnish's worker process and the gunicorn workers, or nginx's workers.
#
# Readers accept gzip, as browsers do: the edge keeps pages gzipped, nginx serves the file's .gz (gzip_static).
# Rows: edge-hit (readers alone), edge-decisions-5s (5 moderation decisions a second through the services),
# python-hit, static-nginx (interleaved in ROUNDS rounds, 3 by default; medians compared), edge-visible (the same decisions, each read back through the edge until
# it shows, with 4 readers' connections so that the watcher is not starved of CPU by wrk on this 2-core machine),
# edge-app-down (every app node stopped: what share of the rotation still answers 200).

echo "== the edge: Varnish with xkey in front of the app, the busy hour's rotation"
command -v varnishd >/dev/null || [ -x /usr/sbin/varnishd ] || { echo "varnishd is missing: apt-get install varnish varnish-modules" >&2; exit 1; }
query "
from articles.models import Article
for article in Article.objects.live().select_related('category')[100:150]:
    print(article.get_absolute_url())
" >"$RUN/edge-rotation.txt"
mapfile -t edge_rotation <"$RUN/edge-rotation.txt"
EDGE_PORT="$(free_port)"
EDGE_PURGE_PORT="$(free_port)"
export EDGE_BACKEND=varnish EDGE_PURGE_URLS="http://127.0.0.1:$EDGE_PURGE_PORT/"
PAGE_CACHE_SECONDS=600 start_gunicorn

mkdir -p "$RUN/varnish"
"$PY" "$ROOT/deploy/varnish_vcl.py" --node "127.0.0.1:$PORT" --health-host 127.0.0.1 >"$RUN/varnish.vcl"
/usr/sbin/varnishd -F -n "$RUN/varnish" -f "$RUN/varnish.vcl" -s malloc,256m \
  -a "127.0.0.1:$EDGE_PORT" -a "purge=127.0.0.1:$EDGE_PURGE_PORT" >"$RUN/varnish.log" 2>&1 &
VARNISH_PID=$!
EDGE="http://127.0.0.1:$EDGE_PORT"
for _ in $(seq 50); do curl -fsS -o /dev/null "$EDGE/healthz" 2>/dev/null && break; sleep 0.2; done

# nginx serving the article page as a file: the static limit on this machine.
mkdir -p "$RUN/nginx/html" "$RUN/nginx/logs" "$RUN/nginx/tmp"
# The same rotation: each article page of the rotation as a file (and its .gz), read by the same wrk script.
static_rotation=()
for number in "${!edge_rotation[@]}"; do
  curl -fsS "$BASE${edge_rotation[$number]}" >"$RUN/nginx/html/page-$number.html"
  gzip -k -6 "$RUN/nginx/html/page-$number.html"
  static_rotation+=("/page-$number.html")
done
NGINX_PORT="$(free_port)"
cat >"$RUN/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $RUN/nginx/nginx.pid;
error_log $RUN/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $RUN/nginx/tmp;
    server { listen 127.0.0.1:$NGINX_PORT; root $RUN/nginx/html; default_type text/html; gzip_static on; }
}
CONF
/usr/sbin/nginx -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -g "daemon off;" &
NGINX_PID=$!
sleep 0.5

processes_cpu_ms() {  # processes_cpu_ms PID…: user + system CPU time of these processes, in ms
  local ticks=0 pid
  for pid in "$@"; do
    ticks=$((ticks + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo $((ticks * 1000 / $(getconf CLK_TCK)))
}
answering_pids() {  # the processes that answer each row: Varnish's worker process and the gunicorn workers
  echo "$(pgrep -P "$VARNISH_PID") $(pgrep -P "$GUNICORN_PID")"
}
measure_through() {  # measure_through NAME BASE_URL CONNECTIONS PIDS…: wrk over the rotation, CPU of those processes
  local name="$1" base="$2" connections="$3"
  shift 3
  local before
  before="$(processes_cpu_ms "$@")"
  wrk -t2 -c"$connections" -d"$DURATION" --latency -H "Accept-Encoding: gzip" -s "$ROOT/bench/read_articles.lua" \
    "$base${edge_rotation[0]}" -- "${edge_rotation[@]}" >"$RUN/$name.wrk"
  echo $(($(processes_cpu_ms "$@") - before)) >"$RUN/$name.cpu"
  printf '%-24s %s\n' "$name" "$(grep Requests/sec "$RUN/$name.wrk")"
}
edge_counters() {  # hits (grace hits among them), misses, and the fetches from the app (refreshes after purges too)
  varnishstat -n "$RUN/varnish" -1 -f MAIN.cache_hit -f MAIN.cache_miss -f MAIN.cache_hit_grace -f MAIN.backend_req \
    | awk '{printf "%s=%s ", $1, $2}'
}

decisions_row() {  # decisions_row NAME CONNECTIONS [--visible-at URL]: readers through the edge, 5 decisions/s
  local name="$1" connections="$2"
  shift 2
  edge_counters >"$RUN/$name.before"
  local start_at
  start_at=$(($(date +%s) + 3))
  # The driver stands for moderators working on app nodes elsewhere: niced, so that its own Python does not take
  # the readers' CPU on this one machine (the renders its decisions cause run in gunicorn at normal priority).
  nice -n 10 "$PY" "$ROOT/bench/churn.py" moderation --rate 5 --seconds "${DURATION%s}" --start-at "$start_at" \
    --paths "$RUN/edge-rotation.txt" --log "$RUN/$name.changes" "$@" &
  local driver=$!
  "$PY" -c "import time; time.sleep(max(0, $start_at - 0.2 - time.time()))"
  measure_through "$name" "$EDGE" "$connections" $(answering_pids)
  wait "$driver"
  edge_counters >"$RUN/$name.after"
}
for path in "${edge_rotation[@]}"; do curl -fsS -o /dev/null "$EDGE$path"; curl -fsS -o /dev/null "$BASE$path"; done
for round in $(seq "${ROUNDS:-3}"); do
  measure_through "edge-hit-round$round" "$EDGE" "$CONNECTIONS" $(answering_pids)
  decisions_row "edge-decisions-5s-round$round" "$CONNECTIONS"
  measure_through "python-hit-round$round" "$BASE" "$CONNECTIONS" $(pgrep -P "$GUNICORN_PID")
  before="$(processes_cpu_ms "$NGINX_PID" $(pgrep -P "$NGINX_PID"))"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Accept-Encoding: gzip" -s "$ROOT/bench/read_articles.lua" \
    "http://127.0.0.1:$NGINX_PORT${static_rotation[0]}" -- "${static_rotation[@]}" >"$RUN/static-nginx-round$round.wrk"
  echo $(($(processes_cpu_ms "$NGINX_PID" $(pgrep -P "$NGINX_PID")) - before)) >"$RUN/static-nginx-round$round.cpu"
  printf '%-24s %s\n' "static-nginx-round$round" "$(grep Requests/sec "$RUN/static-nginx-round$round.wrk")"
done

echo "== decision to visible: each decision read back through the edge until it shows (4 readers' connections)"
decisions_row edge-visible 4 --visible-at "$EDGE"

echo "== every app node stopped: the edge answers from grace"
kill "$GUNICORN_PID"; wait "$GUNICORN_PID" 2>/dev/null || true
for _ in $(seq 50); do
  varnishadm -n "$RUN/varnish" backend.list | grep -q sick && break
  sleep 0.2
done
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -H "Accept-Encoding: gzip" -s "$ROOT/bench/read_articles.lua" \
  "$EDGE${edge_rotation[0]}" -- "${edge_rotation[@]}" >"$RUN/edge-app-down.wrk"
printf '%-24s %s\n' "edge-app-down" "$(grep -E 'Requests/sec|Non-2xx' "$RUN/edge-app-down.wrk" | tr '\n' ' ')"

kill "$VARNISH_PID" "$NGINX_PID"; wait "$VARNISH_PID" "$NGINX_PID" 2>/dev/null || true
unset EDGE_BACKEND EDGE_PURGE_URLS
"$PY" "$ROOT/bench/edge_report.py" "$RUN"
