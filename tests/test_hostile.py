"""The hostile corpus (tests/hostile/README.md): each crafted input gets its documented outcome."""

from __future__ import annotations

import http.server
import re
import threading
import time
from pathlib import Path

import pytest
import tinyhtml5
from pypdf import PdfReader

from briefgen.deliver import mail
from briefgen.render import pdf as render
from conftest import ROOT, run_cli

HOSTILE = ROOT / "tests" / "hostile"
MARKER = "CANARY-9f8e7d6c5b4a"
CONFIG = """\
brief:
  title: Port brief
sources:
  - id: notice
    path: article.txt
sections:
  - id: schedule
    title: Schedule
"""
DANGEROUS_TAGS = {"script", "img", "iframe", "object", "embed", "link", "frame", "base", "form"}


def dangerous(html: str) -> list[str]:
    """Active markup in the parsed page body: elements, handlers, styles and script URLs."""
    body = tinyhtml5.parse(html, namespace_html_elements=False).find("body")
    found = []
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in DANGEROUS_TAGS:
            found.append(f"<{el.tag}>")
        for name, value in el.attrib.items():
            if name.lower().startswith("on") or name.lower() == "style":
                found.append(f"{el.tag}[{name}]")
            if name in ("href", "src", "data") and value.strip().lower().startswith(("javascript:", "file:", "data:")):
                found.append(f"{el.tag}[{name}={value}]")
    return found


@pytest.fixture(scope="module")
def canary(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("outside")
    path = folder / "secret.css"
    path.write_text(f'body::after {{ content: "{MARKER}"; }}\n')
    return path.as_uri()


@pytest.fixture(scope="module")
def server():
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(f'body::after {{ content: "{MARKER}"; }}'.encode())

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()


def fill(text: str, canary: str, url: str) -> str:
    return text.replace("{CANARY}", canary).replace("{LOCAL_HTTP}", url)


def make_project(tmp_path: Path, name: str, canary: str, url: str) -> Path:
    src = HOSTILE / name
    if src.is_symlink():
        (tmp_path / "article.txt").symlink_to(src.readlink())
        (tmp_path / "config.yaml").write_text(CONFIG)
    elif name.endswith(".yaml"):
        (tmp_path / "config.yaml").write_text(fill(src.read_text(), canary, url))
        (tmp_path / "article.txt").write_text((HOSTILE / "onerror.txt").read_text())
    else:
        data = src.read_bytes()
        try:
            data = fill(data.decode("utf-8"), canary, url).encode("utf-8")
        except UnicodeDecodeError:
            pass
        (tmp_path / "article.txt").write_bytes(data)
        (tmp_path / "config.yaml").write_text(CONFIG)
    return tmp_path


def pdf_streams(path: Path) -> str:
    """Every stream of the PDF, decompressed, as text: where a fetched file's bytes would be."""
    reader = PdfReader(path)
    numbers = {num for entries in reader.xref.values() for num in entries} | set(reader.xref_objStm)
    chunks = []
    for num in sorted(numbers):
        obj = reader.get_object(num)
        if hasattr(obj, "get_data"):
            chunks.append(obj.get_data().decode("latin-1"))
    return "\n".join(chunks)


BUILDS = ["img-file-url.txt", "css-url.txt", "link-attachment.txt", "metadata-service.txt",
          "script-tag.txt", "onerror.txt", "javascript-url.txt", "iframe-object.txt",
          "deep-nesting.txt", "huge-font-size.txt", "template-injection.txt", "control-chars.txt",
          "crlf-title.txt", "markdown-payload.yaml", "invalid-utf8.txt"]
REFUSED = {
    "nul-bytes.txt": r"article.txt: file is binary, not text \(skipped\)",
    "python-tag.yaml": r"config.yaml:2: YAML error: .*tag.*refused",
    "alias-bomb.yaml": r"config.yaml: the config expands to more than 200,000 values",
    "dotdot-path.yaml": r"config.yaml:5: sources\[0\].path: path leaves the project folder: .*etc/passwd",
    "glob-out.yaml": r"config.yaml:4: sources\[0\].glob: path leaves the project folder: .*etc/host",
    "symlink-out.txt": r"config.yaml:5: sources\[0\].path: symlink leads outside the project folder: article.txt",
}


def test_the_corpus_covers_every_documented_case():
    files = sorted(p.name for p in HOSTILE.iterdir() if p.name != "README.md")
    assert len(files) >= 20
    assert sorted(BUILDS + list(REFUSED)) == files
    readme = (HOSTILE / "README.md").read_text()
    assert all(f"`{name}`" in readme for name in files)


@pytest.mark.parametrize("name", BUILDS)
def test_hostile_content_builds_safely(tmp_path, name, canary, server):
    url, hits = server
    hits.clear()
    project = make_project(tmp_path, name, canary, url)
    started = time.monotonic()
    result = run_cli("build", "--out", "out", cwd=project)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 60
    html = (project / "out" / "port-brief.html").read_text() if name.endswith(".txt") else \
        next((project / "out").glob("*.html")).read_text()
    pdf = next((project / "out").glob("*.pdf"))
    json_text = next((project / "out").glob("*.json")).read_text()
    assert dangerous(html) == []
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    for output in (html, json_text, text, pdf_streams(pdf)):
        assert MARKER not in output
    assert "/EmbeddedFiles" not in pdf_streams(pdf) and b"/EmbeddedFiles" not in pdf.read_bytes()
    assert hits == []


def test_template_syntax_in_articles_is_shown_literally(tmp_path, canary, server):
    project = make_project(tmp_path, "template-injection.txt", canary, server[0])
    assert run_cli("build", "--format", "json", "--out", "out", cwd=project).returncode == 0
    data = (project / "out" / "port-brief.json").read_text()
    assert "{{ 7*7 }}" in data and "49" not in data and "root:" not in data
    assert "&lt;script&gt; and &amp;amp;" in data  # entities in a .txt are text, not markup


def test_control_characters_are_removed_from_article_text(tmp_path, canary, server):
    from briefgen import pipeline

    project = make_project(tmp_path, "control-chars.txt", canary, server[0])
    (article,) = pipeline.validate(project / "config.yaml")[1].articles
    assert not re.search(r"[\u202e\u202c\u200b\x1b\x0c]", article.text)
    assert "reversed text" in article.text


def test_crlf_in_a_title_never_makes_a_header(tmp_path, canary, server):
    from email import message_from_bytes, policy

    from briefgen import pipeline

    project = make_project(tmp_path, "crlf-title.txt", canary, server[0])
    (article,) = pipeline.validate(project / "config.yaml")[1].articles
    assert "\r" not in article.title and "\n" not in article.title
    msg = mail.message(article.title, "Desk <desk@example.org>", ["chief@example.org"])
    parsed = message_from_bytes(bytes(msg), policy=policy.default)
    assert sorted(parsed.keys()) == ["From", "Subject", "To"]
    assert parsed["Subject"].startswith("Ferries Cancelled")
    for trick in ["Brief\r\nBcc: x@example.com", "Brief\nBcc: x@example.com", "Brief\u2028Bcc: x@e.com",
                  "=?utf-8?b?QnJpZWYNCkJjYzogeEBleGFtcGxlLmNvbQ==?="]:
        raw = bytes(mail.message(trick, "desk@example.org", ["chief@example.org"]))
        assert message_from_bytes(raw, policy=policy.default).get_all("Bcc") is None
        assert raw.count(b"\nSubject:") + raw.startswith(b"Subject:") == 1


@pytest.mark.parametrize("value", ["a@example.org, b@example.org", "x@example.org\r\nBcc: y@example.org",
                                   "not an address", "<a@example.org> <b@example.org>"])
def test_recipients_are_parsed_strictly(value):
    from briefgen.errors import ConfigError

    with pytest.raises(ConfigError, match="address"):
        mail.address(value)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_input_is_refused_with_a_clear_line(tmp_path, name, canary, server):
    project = make_project(tmp_path, name, canary, server[0])
    started = time.monotonic()
    result = run_cli("build", "--out", "out", cwd=project)
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert re.search(REFUSED[name], first), first
    assert not Path("/tmp/briefgen-pwned").exists()
    assert not list((project / "out").glob("*.pdf")) if (project / "out").exists() else True


def test_a_50_mb_one_line_file_is_refused_at_once(tmp_path):
    (tmp_path / "article.txt").write_bytes(b"a" * 50_000_000)
    (tmp_path / "config.yaml").write_text(CONFIG)
    started = time.monotonic()
    result = run_cli("validate", cwd=tmp_path)
    assert time.monotonic() - started < 10
    assert result.returncode == 1
    assert "article.txt: file is too large (50.0 MB) (articles are limited to 5 MB (safety.max_article_mb))" in result.stderr


def test_huge_paragraphs_do_not_blow_up(tmp_path):
    head = "Port Authority Announces New Schedule\n\nThe port authority said on Monday that ferries would run every hour.\n\n"
    (tmp_path / "article.txt").write_text(head + "x" * 1_000_000 + "\n\n" + "word " * 200_000 + ".\n")
    (tmp_path / "config.yaml").write_text(CONFIG)
    started = time.monotonic()
    result = run_cli("build", "--format", "json", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 60


def test_the_pdf_engine_itself_fetches_nothing_outside_the_project(tmp_path, canary, server):
    """Defence in depth: even raw HTML that escaped every other layer cannot reach files or the network."""
    url, hits = server
    hits.clear()
    html = (f'<html><head><link rel="stylesheet" href="{canary}"><link rel="attachment" href="{canary}">'
            f'<style>@import url("{canary}"); @import url("{url}/a.css"); p {{ background: url("{url}/b.png") }}</style>'
            f'</head><body><p>text</p><img src="{canary}"><img src="http://169.254.169.254/x.png">'
            f'<iframe src="{canary}"></iframe><object data="{canary}"></object></body></html>')
    pdf = tmp_path / "raw.pdf"
    pdf.write_bytes(render.to_pdf(html, tmp_path))
    assert MARKER not in pdf_streams(pdf) and "/EmbeddedFiles" not in pdf_streams(pdf)
    assert MARKER not in " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert hits == []


def test_named_hosts_can_be_allowed_and_nothing_else(tmp_path, server):
    url, hits = server
    hits.clear()
    html = f'<html><head><link rel="stylesheet" href="{url}/allowed.css"></head><body><p>x</p></body></html>'
    render.to_pdf(html, tmp_path, hosts=("127.0.0.1",))
    assert hits == ["/allowed.css"]
    hits.clear()
    render.to_pdf(html, tmp_path, hosts=("example.org",))
    assert hits == []


def test_a_runaway_render_is_stopped_with_a_message(tmp_path):
    from briefgen.errors import RenderError

    rows = "".join(f"<tr><td>{i}</td><td>{'cell ' * 40}</td></tr>" for i in range(20_000))
    with pytest.raises(RenderError, match=r"took longer than 5 s and was stopped"):
        render.to_pdf(f"<table>{rows}</table>", tmp_path, timeout=5)


def test_a_render_over_its_memory_limit_fails_cleanly(tmp_path):
    from briefgen.errors import RenderError

    with pytest.raises(RenderError, match=r"ran out of memory \(limit 300 MB\)"):
        render.to_pdf("<table>" + "<tr><td>a</td></tr>" * 30_000 + "</table>", tmp_path, memory_mb=300)
