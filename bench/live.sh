# Live coverage under load (issue 17), sourced by bench/run: READERS simulated readers poll a live page's updates
# endpoint every 10 s while an editor posts an update every 20 s (bench/live.py). Reports the worker CPU per poll
# beside a warm article page hit measured in the same run, the share of polls answered 304 or from the page cache,
# and how long after a post readers see the update.

READERS="${READERS:-1000}"
LIVE_SECONDS="${LIVE_SECONDS:-60}"
live_story="$(query "
from django.utils import timezone
from articles import services
from articles.models import Article
article = Article.objects.live().select_related('category')[3]
article.live_from = timezone.now()
services.article_save(article=article, reason='Benchmark live coverage')
print(article.slug, article.get_absolute_url())
")"
read -r live_slug live_path <<<"$live_story"
echo "== live coverage: $READERS readers polling ${live_path}updates/ every 10 s, an update every 20 s"
start_gunicorn
curl -fsS -o /dev/null "$BASE$live_path" && curl -fsS -o /dev/null "$BASE${live_path}updates/"
measure live-article-warm "$live_path"
measure live-poll-wrk "${live_path}updates/"
cpu_before="$(worker_cpu_ms)"
"$PY" "$ROOT/bench/live.py" --base "$BASE" --path "${live_path}updates/" --slug "$live_slug" \
  --readers "$READERS" --seconds "$LIVE_SECONDS" | tee "$RUN/live.txt"
echo "cpu_ms=$(($(worker_cpu_ms) - cpu_before))" | tee -a "$RUN/live.txt"
# The reference, at the same rate from the same client: the same readers reloading the story page (cache hits).
cpu_before="$(worker_cpu_ms)"
"$PY" "$ROOT/bench/live.py" --base "$BASE" --path "$live_path" --slug "$live_slug" --no-editor \
  --readers "$READERS" --seconds "$((LIVE_SECONDS / 2))" >"$RUN/live-reference.txt"
echo "cpu_ms=$(($(worker_cpu_ms) - cpu_before))" >>"$RUN/live-reference.txt"
# Issue 28: the same readers polling the story's newest comments (offered on a live page) instead.
cpu_before="$(worker_cpu_ms)"
"$PY" "$ROOT/bench/live.py" --base "$BASE" --path "${live_path}comments/newest/" --slug "$live_slug" --no-editor \
  --readers "$READERS" --seconds "$((LIVE_SECONDS / 2))" >"$RUN/live-comments.txt"
echo "cpu_ms=$(($(worker_cpu_ms) - cpu_before))" >>"$RUN/live-comments.txt"
kill "$GUNICORN_PID"; wait "$GUNICORN_PID" 2>/dev/null || true
"$PY" - "$RUN" <<'PYTHON' | tee "$RUN/live.md"
import re, sys
from pathlib import Path
run = Path(sys.argv[1])
def read(name):
    return dict(line.split("=", 1) for line in (run / name).read_text().split() if "=" in line)
values, reference = read("live.txt"), read("live-reference.txt")
def wrk_cpu_per_request(name):
    requests = int(re.search(r"(\d+) requests in", (run / f"{name}.wrk").read_text()).group(1))
    return int((run / f"{name}.cpu").read_text()) / requests
polls = int(values["polls"])
per_poll = int(values["cpu_ms"]) / polls
warm = int(reference["cpu_ms"]) / int(reference["polls"])  # the story page, same readers, same rate
print("| polls | 304 | from the page cache | CPU ms/poll | story page hit, same rate, CPU ms | ratio | visible p50 / p99 / max |")
print("|---|---|---|---|---|---|---|")
print(
    f"| {polls} | {int(values['not_modified']) / polls:.1%} | {int(values['from_cache']) / polls:.1%} "
    f"| {per_poll:.3f} | {warm:.3f} | {per_poll / warm:.2f} "
    f"| {values['visible_p50_s']} / {values['visible_p99_s']} / {values['visible_max_s']} s "
    f"({values['updates_posted']} updates, {values['never_seen']} never seen, {values['errors']} errors) |"
)
comments = read("live-comments.txt")
comment_polls = int(comments["polls"])
per_comment_poll = int(comments["cpu_ms"]) / comment_polls
print(
    f"\nNewest comments polled by the same readers (issue 28): {comment_polls} polls, "
    f"{int(comments['not_modified']) / comment_polls:.1%} answered 304, {per_comment_poll:.3f} CPU ms per poll, "
    f"{per_comment_poll / warm:.2f} × a story page hit (goal ≤ 1: {'met' if per_comment_poll <= warm else 'NOT met'})"
)
print(
    f"\nwrk at full speed (no ETag): endpoint {wrk_cpu_per_request('live-poll-wrk'):.3f}, "
    f"story page {wrk_cpu_per_request('live-article-warm'):.3f} CPU ms per request"
)
PYTHON
