"""Where the browser tests find their tools, and how to tell whether this machine has them."""

import shutil
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def missing_tools():
    """Return what the browser tests need but this machine lacks, as short phrases."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} not found (apt-get install chromium)")
    if not AXE_JS.exists() or not VNU_JAR.exists():
        missing.append("axe-core or vnu-jar not in node_modules/ (npm ci)")
    if shutil.which("java") is None:
        missing.append("java not found")
    return missing
