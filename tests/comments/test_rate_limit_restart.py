"""A Redis restart resets no reader's comment allowance: a counter the cache lost starts again from the database.

The test runs a Redis server of its own (Debian's redis-server, on a free port) and restarts it mid-test, as a
crash or a deployment would; it never touches the machine's shared Redis.
"""

import os
import shutil
import socket
import subprocess
import time

import pytest

from comments.models import Comment
from tests.comments.conftest import comment_data
from tests.ports import free_port
from tests.services import skip_without

pytestmark = pytest.mark.django_db


class PrivateRedis:
    def __init__(self, binary, port):
        self.binary, self.port, self.process = binary, port, None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def private_redis(request, settings):
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(binary):
        skip_without(request, "REDIS", "redis-server is not installed (apt-get install redis-server)")
    server = PrivateRedis(binary, free_port())
    server.start()
    settings.CACHES = {
        "default": {"BACKEND": "newsportal.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:{server.port}/0"}
    }
    yield server
    server.stop()


def test_a_redis_restart_does_not_reset_the_allowance(client, article, site_settings, private_redis):
    site_settings(rate_limit=3)
    url = f"{article.get_absolute_url()}comment/"

    def post(number):
        data = comment_data(article, body=f"Comment number {number} on the harbour", author_email=f"r{number}@x.org")
        return client.post(url, data, REMOTE_ADDR="198.51.100.23").status_code

    assert [post(number) for number in range(3)] == [302, 302, 302]
    private_redis.stop()  # every counter in it is gone
    private_redis.start()
    assert post(3) == 429  # the allowance counted from the three comments stored in this window
    assert Comment.objects.count() == 3
