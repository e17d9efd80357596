"""Config + audience → a live HTML preview on 127.0.0.1 that rebuilds and reloads on every save.

A watcher thread fingerprints the config, its prose files (Markdown), the templates (project and
built-in) and every article each half second; on a change it rebuilds the HTML (no PDF). The page polls
/__version and reloads itself when the build changed. A broken config or template shows its
error (file, line, message) in the page; the next good save brings the brief back.
"""

from __future__ import annotations

import html
import http.server
import threading
import time
from pathlib import Path

from . import config
from . import pipeline
from .render import html as render
from .cache import prose_files
from .errors import BriefgenError

RELOAD = """<script>
(function () {
  var built = "%d";  /* the version this page shows: reload as soon as the server has another */
  setInterval(function () {
    fetch("/__version", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (v) {
      if (v !== built) { location.reload(); }
    }).catch(function () {});
  }, 500);
})();
</script>"""


def preview(path: Path, audience: str | None) -> str:
    """The brief's HTML for one audience (first by default), or an error page."""
    try:
        return pipeline.preview(path, audience)
    except BriefgenError as exc:
        items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in exc.problems)
        return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Build failed</title></head>"
                f"<body style='font-family:sans-serif;margin:2rem'><h1 style='color:#a3262a'>Build failed</h1>"
                f"<p>Fix the problem and save; this page reloads by itself.</p><ul class='problems'>{items}</ul>"
                f"</body></html>")


def fingerprint(path: Path) -> tuple:
    """(name, mtime, size) of everything a brief depends on."""
    root = path.resolve().parent
    files = [path] + [p for folder in (root / "templates", render.builtin_templates(), root / "assets")
                      if folder.is_dir() for p in folder.rglob("*") if p.is_file()]
    try:
        cfg = config.load(path)
        files += [s.path for s in cfg.sources if s.path.is_file()] + prose_files(cfg)
    except BriefgenError:
        files += [p for p in root.rglob("*") if p.is_file() and "build" not in p.parts and p.suffix in
                  (".txt", ".html", ".htm", ".md", ".xml", ".rss", ".atom", ".yaml")]
    out = []
    for f in sorted(set(files)):
        try:
            st = f.stat()
            out.append((str(f), st.st_mtime_ns, st.st_size))
        except OSError:
            pass
    return tuple(out)


class Preview:
    """The current page and its version; `watch` keeps them fresh."""

    def __init__(self, path: Path, audience: str | None):
        self.path, self.audience = Path(path), audience
        self.version, self.page, self.stamp = 0, "", None
        self.lock = threading.Lock()
        self.refresh()

    def refresh(self) -> bool:
        stamp = fingerprint(self.path)
        if stamp == self.stamp:
            return False
        page = preview(self.path, self.audience)
        with self.lock:
            version = self.version + 1
            script = RELOAD % version
            page = page.replace("</body>", script + "</body>") if "</body>" in page else page + script
            self.page, self.stamp, self.version = page, stamp, version
        return True

    def watch(self, stop: threading.Event, every: float = 0.5) -> None:
        while not stop.wait(every):
            try:
                if self.refresh():
                    print(f"rebuilt ({time.strftime('%H:%M:%S')})", flush=True)
            except Exception as exc:  # keep serving whatever happens in one rebuild
                print(f"rebuild failed: {exc}", flush=True)


def serve(path: Path, audience: str | None, port: int, host: str = "127.0.0.1") -> None:
    state = Preview(path, audience)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            with state.lock:
                body, kind = ((str(state.version), "text/plain") if self.path == "/__version"
                              else (state.page, "text/html; charset=utf-8"))
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer((host, port), Handler)
    stop = threading.Event()
    threading.Thread(target=state.watch, args=(stop,), daemon=True).start()
    print(f"previewing http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
