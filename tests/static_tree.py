"""One collected copy of the static files for every test that serves them (a deployment, the static-files tests).

`collectstatic` hashes and compresses some 16 MB (about 10 s on two cores) and gave the same tree to each of four
tests per run; this collects it once per content of the sources and lets every test, worker and run on the machine
share it. The tree is read only by those who share it.
"""

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _sources_digest():
    """What the collected tree is made from: the project's own static files, the packages' (by requirements), and
    the settings that decide the storage."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "static").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    for name in ("requirements.txt", "newsportal/settings.py"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:16]


def collected_static() -> Path:
    """Return a directory holding `collectstatic`'s output for the current sources (made on first use)."""
    tree = Path(tempfile.gettempdir()) / f"newsportal-static-{_sources_digest()}"
    with open(f"{tree}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker collecting the same tree: wait for it
        if not (tree / "staticfiles.json").exists():
            building = Path(tempfile.mkdtemp(prefix="newsportal-static-building-"))
            environment = {
                "PATH": os.environ["PATH"],
                "NEWSPORTAL_ENV_FILE": "",
                "DEBUG": "false",
                "SECRET_KEY": "collecting-static-files-only",
                "SITE_URL": "http://127.0.0.1",
                "STATIC_ROOT": str(building),
            }
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT,
                env=environment,
                check=True,
            )
            building.chmod(0o755)  # nginx's workers read it
            shutil.rmtree(tree, ignore_errors=True)
            building.rename(tree)
    return tree
