"""A build killed while writing leaves the previous PDF intact and no partial file behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

from conftest import DROUGHT, run_cli

SLOW_WRITER = """
import os, sys, time
import briefgen.effects as effects
real_replace = os.replace
def stalled_replace(src, dst):
    if str(dst).endswith("lake-ardon-drought.pdf") and ".briefgen" not in str(dst):
        time.sleep(600)  # killed here: the new PDF is fully in its temp file, not yet renamed
    real_replace(src, dst)
effects.os.replace = stalled_replace
from briefgen.cli import main
sys.exit(main(["build", "--out", "out"]))
"""


def test_killing_a_build_midway_keeps_the_last_good_pdf(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(DROUGHT.parent, project)
    assert run_cli("build", "--out", "out", cwd=project).returncode == 0
    pdf = project / "out" / "lake-ardon-drought.pdf"
    good = pdf.read_bytes()
    (project / "articles" / "farm-union.txt").write_text(
        "Valley Farmers Report Record Yields\n\nFarmers in the valley reported record yields on Friday after late rain.\n")
    child = subprocess.Popen([sys.executable, "-c", SLOW_WRITER], cwd=project,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not list((project / "out").glob(".lake-ardon-drought.pdf.*.tmp")):
            assert time.monotonic() < deadline and child.poll() is None, "build never reached the PDF write"
            time.sleep(0.05)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert pdf.read_bytes() == good  # the reader's PDF is the last good one, whole
    assert list((project / "out").glob(".*.tmp"))  # the killed build's temp file is still there...
    result = run_cli("build", "--out", "out", cwd=project)
    assert result.returncode == 0, result.stderr
    assert not list((project / "out").glob(".*.tmp"))  # ...until the next build sweeps it away
    assert pdf.read_bytes() != good
