"""The code version recorded on every fit, so a published interval can be traced to its code."""

import functools
import os
import subprocess
from pathlib import Path

from django.conf import settings


@functools.cache
def code_version() -> str:
    """Return SEAL_CODE_VERSION if set, else the git commit of the checkout, else 'unknown'."""
    configured = os.environ.get("SEAL_CODE_VERSION", "").strip()
    if configured:
        return configured[:40]
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(settings.BASE_DIR),
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return completed.stdout.strip()[:40] or "unknown"
