#!/usr/bin/env python3
"""Write Newsportal's nginx configuration from deploy/nginx.conf.in.

A server (Debian's nginx):
    deploy/nginx_conf.py --server-name news.example.com --upstream unix:/run/newsportal/gunicorn.sock \\
        --static-root /srv/newsportal/staticfiles --media-root /srv/newsportal/media \\
        --certificate /etc/letsencrypt/live/news.example.com/fullchain.pem \\
        --key /etc/letsencrypt/live/news.example.com/privkey.pem > /etc/nginx/sites-available/newsportal

On this machine, as deploy/serve does: add `--local RUN_DIR` for a complete configuration (pid, logs and
temporary files under RUN_DIR) that an unprivileged nginx can run with `nginx -p RUN_DIR -c …`.
"""

import argparse
from pathlib import Path

HERE = Path(__file__).resolve().parent

LOCAL = """# Written by deploy/nginx_conf.py --local for deploy/serve: Newsportal's site in a configuration of its own.
worker_processes 2;
pid @@RUN@@/nginx.pid;
error_log @@RUN@@/logs/nginx-error.log warn;
events {
    worker_connections 4096;
}
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log @@RUN@@/logs/nginx-access.log;
    client_body_temp_path @@RUN@@/tmp/body;
    proxy_temp_path @@RUN@@/tmp/proxy;
    fastcgi_temp_path @@RUN@@/tmp/fastcgi;
    uwsgi_temp_path @@RUN@@/tmp/uwsgi;
    scgi_temp_path @@RUN@@/tmp/scgi;
    sendfile on;
@@SITE@@
}
"""


def render(template, values):
    """Fill the template's @@NAME@@ placeholders (deploy/varnish_vcl.py renders its VCL with this too)."""
    for name, value in values.items():
        template = template.replace(f"@@{name}@@", str(value))
    if "@@" in template:
        raise SystemExit(f"deploy: a placeholder was left unfilled: {template[template.index('@@') :][:40]}")
    return template


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--upstream", required=True, help="host:port or unix:/path of gunicorn")
    parser.add_argument("--static-root", required=True)
    parser.add_argument("--media-root", required=True)
    parser.add_argument("--certificate", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--http-listen", default="80")
    parser.add_argument("--https-listen", default="443")
    parser.add_argument("--local", metavar="RUN_DIR", help="write a complete configuration for deploy/serve")
    options = parser.parse_args()
    https_port = options.https_listen.rsplit(":", 1)[-1]
    site = render(
        (HERE / "nginx.conf.in").read_text(),
        {
            "UPSTREAM": options.upstream,
            "SERVER_NAME": options.server_name,
            "HTTP_LISTEN": options.http_listen,
            "HTTPS_LISTEN": options.https_listen,
            "HTTPS_PORT_SUFFIX": "" if https_port == "443" else f":{https_port}",
            "TLS_CERTIFICATE": options.certificate,
            "TLS_KEY": options.key,
            "STATIC_ROOT": Path(options.static_root).resolve(),
            "MEDIA_ROOT": Path(options.media_root).resolve(),
            "PROXY_PARAMS": HERE / "proxy_params.conf",
        },
    )
    if options.local:
        indented = "\n".join(f"    {line}" if line else "" for line in site.splitlines())
        site = render(LOCAL, {"RUN": Path(options.local).resolve(), "SITE": indented})
    print(site, end="")


if __name__ == "__main__":
    main()
