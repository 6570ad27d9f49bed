"""The suite's settings ignore the developer's `.env` and shell: a hostile one changes nothing the tests see."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = {
    "SITE_NAME": "Somebody else's site",
    "TRUSTED_PROXY_COUNT": "3",
    "IMAGE_UPLOAD_MAX_BYTES": "10",
    "PAGE_CACHE_MAX_AGE": "1",
    "PAGE_CACHE_SECONDS": "600",
}
READ = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
from django.conf import settings
print(json.dumps({name: str(getattr(settings, name)) for name in %r}))
"""


def test_a_hostile_env_file_and_environment_change_no_test_setting(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in HOSTILE.items()))
    environment = {**os.environ, **HOSTILE, "NEWSPORTAL_ENV_FILE": str(env_file)}
    result = subprocess.run(
        [sys.executable, "-c", READ % list(HOSTILE)], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen == {
        "SITE_NAME": "Newsportal",
        "TRUSTED_PROXY_COUNT": "0",
        "IMAGE_UPLOAD_MAX_BYTES": str(15 * 1024 * 1024),
        "PAGE_CACHE_MAX_AGE": "60",
        "PAGE_CACHE_SECONDS": "0",
    }


def test_the_site_itself_does_read_its_env_file(tmp_path):
    """The other half: outside the tests, `.env` works as the README says."""
    env_file = tmp_path / ".env"
    env_file.write_text("TRUSTED_PROXY_COUNT=3\nDEBUG=true\n")
    environment = {key: value for key, value in os.environ.items() if key != "TRUSTED_PROXY_COUNT"}
    environment |= {"NEWSPORTAL_ENV_FILE": str(env_file), "DJANGO_SETTINGS_MODULE": "newsportal.settings"}
    script = "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.stdout.strip() == "3", result.stderr
