"""gunicorn for Newsportal, behind nginx (deploy/nginx.conf.in). Everything tunable comes from the environment.

    gunicorn -c deploy/gunicorn.conf.py newsportal.wsgi

nginx absorbs slow clients (it buffers whole requests and responses), so a sync worker is only ever busy with
Django's own work; the worker timeout is the last line of defence, well above the database deadline.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
# A worker that leaks memory is replaced after a while; the jitter keeps them from restarting together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"

# Forwarded headers are Django's business alone (BEHIND_TLS_PROXY, TRUSTED_PROXY_COUNT). gunicorn's own defaults
# would take X-Forwarded-Proto: https from any client on 127.0.0.1 as a secure request and skip the HTTPS
# redirect, whatever Django's settings say.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")
secure_scheme_headers = {}
