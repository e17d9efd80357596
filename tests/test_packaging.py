"""The wheel ships the default templates, so an installed briefgen works outside this repo."""

import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_contains_the_default_templates(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("briefgen-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for template in ("brief.html", "brief.css", "macros.html"):
        assert f"briefgen/templates/{template}" in names
    assert not any(n.startswith(("seeds/", "tests/", "build/")) for n in names)
