# The busy hour (issue 11), sourced by bench/run: readers over 50 article pages in rotation while changes arrive
# through the project's own services (bench/churn.py). gunicorn writes an access log with each answer's X-Cache
# (HIT, MISS = rendered, STALE), from which bench/report.py counts the hit ratio and the renders per change.
#
# The pages live PAGE_CACHE_SECONDS=600 here so that expiry (one render per page per lifetime, whatever happens)
# does not blur the renders the changes cause; every other setting is production's.

echo "== the busy hour: 50 article pages in rotation while moderators and editors work"
query "
from articles.models import Article
for article in Article.objects.live().select_related('category')[100:150]:
    print(article.get_absolute_url())
" >"$RUN/rotation.txt"
mapfile -t rotation <"$RUN/rotation.txt"
access_log="$RUN/access.log"
PAGE_CACHE_SECONDS=600 start_gunicorn --access-logfile "$access_log" --access-logformat '%(U)s %(s)s %({x-cache}o)s'

churn_row() {  # churn_row NAME PAGES_PER_CHANGE [bench/churn.py ARGUMENTS…]: warm the rotation, then read under churn
  local name="$1" pages="$2" driver=""
  shift 2
  for path in "${rotation[@]}"; do curl -fsS -o /dev/null "$BASE$path"; done
  # The driver starts Django first; its first change comes after the readers started.
  local start_at
  start_at=$(($(date +%s) + 3))
  if [ $# -gt 0 ]; then
    "$PY" "$ROOT/bench/churn.py" "$@" --seconds "${DURATION%s}" --start-at "$start_at" \
      --paths "$RUN/rotation.txt" --log "$RUN/$name.changes" &
    driver=$!
  fi
  "$PY" -c "import time; time.sleep(max(0, $start_at - 0.2 - time.time()))"
  : >"$access_log"
  echo "$start_at" >"$RUN/$name.window"
  measure "$name" "${rotation[0]}" "$ROOT/bench/read_articles.lua" "${rotation[@]}"
  date +%s.%N >>"$RUN/$name.window"
  [ -z "$driver" ] || wait "$driver"
  cp "$access_log" "$RUN/$name.access"
  echo "$pages" >"$RUN/$name.pages"
}

# CHURN="none heartbeats" bench/run measures some rows only (all by default).
CHURN="${CHURN:-none moderation editorial recommends heartbeats}"
churn_row churn-none 0
if [[ " $CHURN " == *" moderation "* ]]; then
  churn_row churn-moderation-1s 1 moderation --rate 1
  churn_row churn-moderation-5s 1 moderation --rate 5
fi
if [[ " $CHURN " == *" editorial "* ]]; then
  churn_row churn-editorial-10s 1 editorial --every 10
  churn_row churn-editorial-newest-10s "${#rotation[@]}" editorial --every 10 --newest
fi
if [[ " $CHURN " == *" recommends "* ]]; then
  # Issue 28: guests recommend comments of the rotation's stories at 50/s, written down once a minute as the
  # worker does by default (so run with DURATION of 60 s or more: CHURN="none recommends" DURATION=70s).
  churn_row churn-recommends-50s 1 recommends --rate 50 --flush-every 60 --base "$BASE"
fi
if [[ " $CHURN " == *" heartbeats "* ]]; then
  # Issue 21: 50 editors with stories open, each sending the change form's heartbeat every 15 s. The effect is
  # about 1 %, well inside this machine's drift between runs, so readers alone and readers with heartbeats
  # alternate for ROUNDS rounds and the report compares their medians.
  for round in $(seq "${ROUNDS:-3}"); do
    churn_row "churn-quiet-round$round" 0
    churn_row "churn-heartbeats-round$round" 0 presence --editors 50 --every 15 --base "$BASE"
  done
fi
kill "$GUNICORN_PID"; wait "$GUNICORN_PID" 2>/dev/null || true

if [[ " $CHURN " == *" heartbeats "* ]]; then
echo "== one heartbeat's cost: 50 logged-in editors' heartbeats as fast as they come"
start_gunicorn
"$PY" "$ROOT/bench/churn.py" sessions --editors 50 --paths "$RUN/rotation.txt" --log "$RUN/heartbeat-sessions.txt" --seconds 0
mapfile -t heartbeat_args <"$RUN/heartbeat-sessions.txt"
measure presence-heartbeat /admin/ "$ROOT/bench/heartbeat.lua" "${heartbeat_args[@]}"
measure static-heartbeat-run /bench/static
kill "$GUNICORN_PID"; wait "$GUNICORN_PID" 2>/dev/null || true
fi
