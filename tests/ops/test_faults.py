"""Real worker processes killed with SIGKILL mid-work lose nothing (ops.faults).

The short version of `make faulttest`: a few completions approved in bulk, workers killed at
random moments, the repair sweep, then every certificate, PDF and email exactly once. The
scenario makes its own scratch database, so it runs once, in the SQLite pass of CI.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="makes its own database: already run in the SQLite pass",
)


def faults(*args):
    done = subprocess.run(
        [sys.executable, "-m", "ops.faults", "--min-gap", "0.2", "--max-gap", "0.8", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("queue", ["db", "rq"])
def test_killed_workers_lose_no_certificate_pdf_or_email(queue):
    if queue == "rq" and not shutil.which("redis-server"):
        pytest.fail("redis-server is missing: `make sysdeps-test` installs it")
    code, output = faults("--queue", queue, "--count", "12", "--kills", "2", "--seed", "7")
    assert code == 0, output
    assert "FAULT TEST PASSED" in output
    after = [line for line in output.splitlines() if line.startswith("after the sweep")][0]
    assert '"certificates": 12' in after and '"emails": 12' in after and '"pdfs": 12' in after
