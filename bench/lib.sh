# Shared by the benchmark scripts: a throwaway PostgreSQL database and gunicorn with production settings,
# on a free loopback port. Source it; call bench_setup, then start_gunicorn; everything stops on exit.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
BENCH_DB="${BENCH_DB:-newsportal_bench_$$}"
PG="postgres://postgres@127.0.0.1:5432"
WORKERS="${WORKERS:-4}"
OUT="${OUT:-$ROOT/bench/results}"
mkdir -p "$OUT"

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Production settings, except plain HTTP: the benchmark talks to gunicorn directly on loopback.
export DEBUG=false
export SECRET_KEY="bench-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(40))')"
export ALLOWED_HOSTS=127.0.0.1
export SITE_URL=http://127.0.0.1
export SECURE_SSL_REDIRECT=false
export DATABASE_URL="${DATABASE_URL:-$PG/$BENCH_DB}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/9}"
export CACHE_KEY_PREFIX="bench$$"
export LOG_LEVEL=ERROR  # 429s and 409s are expected here; keep the output readable

cleanup() {
  [ -n "${GUNICORN_PID:-}" ] && kill "$GUNICORN_PID" 2>/dev/null && wait "$GUNICORN_PID" 2>/dev/null
  if [ -z "${KEEP_DB:-}" ]; then
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

bench_setup() {
  make -C "$ROOT" --no-print-directory .venv/.runtime >/dev/null
  command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
  psql "$PG/postgres" -qc "CREATE DATABASE $BENCH_DB" >/dev/null 2>&1 || true
  (cd "$ROOT" && "$PY" manage.py migrate --noinput -v0 && "$PY" manage.py collectstatic --noinput -v0)
  # wrk's few client addresses post for thousands of readers: no per-reader comment limit in the benchmark.
  (cd "$ROOT" && "$PY" manage.py site_settings rate_limit=1000000000 >/dev/null)
}

# Print the CPU time (user + system, in ms) the gunicorn workers have used so far: what each request costs the
# server, steadier on a noisy machine than requests per second.
worker_cpu_ms() {
  local ticks=0 pid
  for pid in $(pgrep -P "$GUNICORN_PID"); do
    # Fields after the command name: state is 1st, utime 12th, stime 13th (proc(5) fields 14 and 15).
    ticks=$((ticks + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo $((ticks * 1000 / $(getconf CLK_TCK)))
}

start_gunicorn() {
  PORT="$(free_port)"
  BASE="http://127.0.0.1:$PORT"
  (cd "$ROOT" && exec "$ROOT/.venv/bin/gunicorn" newsportal.wsgi --bind "127.0.0.1:$PORT" \
    --workers "$WORKERS" --worker-class sync --log-level warning "$@") &
  GUNICORN_PID=$!
  for _ in $(seq 50); do
    curl -fsS "$BASE/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "gunicorn did not start" >&2
  exit 1
}
