"""The preview server as an attacker or a busy machine meets it: foreign Host names (DNS
rebinding), idle and piled-up connections, a port already in use, a rebuild that fails."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DROUGHT, wait_for


@pytest.fixture
def server(tmp_path):
    """A running `briefgen serve --port 0` on a copy of the drought brief: (project, port, process, log)."""
    project = tmp_path / "p"
    shutil.copytree(DROUGHT.parent, project)
    log = project / "serve.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen([sys.executable, "-u", "-m", "briefgen", "serve", "--port", "0"], cwd=project,
                                stdout=fh, stderr=subprocess.STDOUT)
    try:
        line = wait_for(lambda: re.search(r"previewing http://127\.0\.0\.1:(\d+)/", log.read_text())
                        or proc.poll() is not None, "the preview server did not start")
        assert proc.poll() is None, log.read_text()
        yield project, int(line.group(1)), proc, log
    finally:
        proc.kill()
        proc.wait(10)


def get(port: int, host: str | None, path: str = "/") -> tuple[int, str]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        head = f"GET {path} HTTP/1.1\r\n" + (f"Host: {host}\r\n" if host is not None else "") + "Connection: close\r\n\r\n"
        s.sendall(head.encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.decode("utf-8", "replace")


def test_only_local_host_names_get_the_brief(server):
    _, port, _, _ = server
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        status, body = get(port, host)
        assert status == 200 and "Lake Ardon" in body, host
    for host in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1.attacker.example:{port}",
                 f"localhost:{port + 1}", None, ""):
        status, body = get(port, host)
        assert status in (400, 421) and "Lake Ardon" not in body, host  # DNS rebinding gets nothing


def threads(proc) -> int:
    return int(re.search(r"Threads:\s+(\d+)", Path(f"/proc/{proc.pid}/status").read_text()).group(1))


def test_idle_connections_are_closed_and_do_not_pile_up(server):
    from briefgen import serve

    MAX_CONNECTIONS = getattr(serve, "MAX_CONNECTIONS", 32)  # (getattr: so that the test can fail on old code)
    _, port, proc, _ = server
    idle = [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in range(MAX_CONNECTIONS + 40)]
    try:
        # the server never runs a thread per idle connection beyond its cap...
        deadline = time.monotonic() + 3
        most = 0
        while time.monotonic() < deadline:
            most = max(most, threads(proc))
            time.sleep(0.05)
        assert most <= MAX_CONNECTIONS + 5, f"{most} threads for {len(idle)} idle connections"
        # ...and closes each idle one (or turns it away), so a real request gets through after
        for s in idle:
            try:
                data = s.recv(1024)  # b"" when the server closes, a 503 when it turned it away
            except socket.timeout:
                pytest.fail("an idle connection was kept open for a minute")
            assert data == b"" or data.startswith(b"HTTP/1.0 503"), data
    finally:
        for s in idle:
            s.close()
    status, body = get(port, f"127.0.0.1:{port}")
    assert status == 200 and "Lake Ardon" in body


def test_a_busy_port_is_one_line_and_exit_1(server):
    project, port, _, _ = server
    result = subprocess.run([sys.executable, "-m", "briefgen", "serve", "--port", str(port)], cwd=project,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot serve on 127.0.0.1:{port}" in lines[0] and "--port" in lines[0], lines


def test_a_failed_rebuild_says_it_failed_and_why(server):
    project, port, _, log = server
    config = project / "config.yaml"
    config.write_text(config.read_text().replace("sources:", "sourcez:", 1))
    line = wait_for(lambda: [l for l in log.read_text().splitlines() if l.startswith(("rebuilt", "rebuild failed"))],
                    "the server never rebuilt")[0]
    assert line.startswith("rebuild failed") and "sourcez" in line, line
    status, body = get(port, f"localhost:{port}")
    assert status == 200 and "Build failed" in body
