"""The live preview in a real browser: headless Chromium driven by Playwright.

Chromium comes from Debian (.ci/run installs it when missing and root); without it the test is
skipped with the reason shown, never silently.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DROUGHT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine: install Debian's "
                                "'chromium' package (.ci/run does so when run as root)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def preview(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(DROUGHT.parent, project)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "the preview server did not start"
            time.sleep(0.2)
    yield project, f"http://127.0.0.1:{port}/"
    proc.terminate()
    proc.wait(10)


def test_editing_a_template_changes_the_open_page_and_errors_show_in_it(preview, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    project, url = preview
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.goto(url)
        expect(page.locator("h1")).to_have_text("Lake Ardon Drought")
        templates = project / "templates"
        templates.mkdir(exist_ok=True)
        override = templates / "brief.html"
        override.write_text('{% extends "default:brief.html" %}\n'
                            '{% block footer %}<footer class="method">Prepared for the duty desk.</footer>{% endblock %}\n')
        expect(page.locator("footer.method")).to_have_text("Prepared for the duty desk.", timeout=15_000)
        override.write_text('{% extends "default:brief.html" %}\n{% block footer %}\n<p>{{ brief.title }</p>\n{% endblock %}\n')
        expect(page.locator("h1")).to_have_text("Build failed", timeout=15_000)
        expect(page.locator("ul.problems")).to_contain_text("templates/brief.html:3: template error")
        override.write_text('{% extends "default:brief.html" %}\n'
                            '{% block footer %}<footer class="method">Back to normal.</footer>{% endblock %}\n')
        expect(page.locator("footer.method")).to_have_text("Back to normal.", timeout=15_000)
        expect(page.locator("h1")).to_have_text("Lake Ardon Drought")
        shot = Path(os.environ.get("BRIEFGEN_SCREENSHOTS", tmp_path)) / "preview.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000
        browser.close()
