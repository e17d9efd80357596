"""Config + audience → a live HTML preview on 127.0.0.1 that rebuilds and reloads on every save.

A watcher thread fingerprints the config, its prose files (Markdown), the templates (project and
built-in) and every article each half second; on a change it rebuilds the HTML (no PDF). The page polls
/__version and reloads itself when the build changed. A broken config or template shows its
error (file, line, message) in the page; the next good save brings the brief back.

The server answers only requests addressed to this machine by a local name (Host 127.0.0.1,
localhost or [::1] with the port: a web page that rebinds its own name to 127.0.0.1 gets
nothing), closes a connection idle for IDLE_SECONDS, and serves at most MAX_CONNECTIONS at once.
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
from .errors import BriefgenError, Problem

IDLE_SECONDS = 5
"""A connection that sends nothing for this long is closed."""
MAX_CONNECTIONS = 32
"""Connections served at once; more wait (up to QUEUE_SECONDS, then get 503)."""
QUEUE_SECONDS = 5
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")

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


def preview(path: Path, audience: str | None) -> tuple[str, list[str]]:
    """The brief's HTML for one audience (first by default), or an error page, and the problems."""
    try:
        return pipeline.preview(path, audience), []
    except BriefgenError as exc:
        items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in exc.problems)
        return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Build failed</title></head>"
                f"<body style='font-family:sans-serif;margin:2rem'><h1 style='color:#a3262a'>Build failed</h1>"
                f"<p>Fix the problem and save; this page reloads by itself.</p><ul class='problems'>{items}</ul>"
                f"</body></html>"), [str(p) for p in exc.problems]


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
        self.problems = self.refresh() or []

    def refresh(self) -> list[str] | None:
        """Rebuild if anything changed: None when nothing did, else the build's problems ([] = fine)."""
        stamp = fingerprint(self.path)
        if stamp == self.stamp:
            return None
        page, problems = preview(self.path, self.audience)
        with self.lock:
            version = self.version + 1
            script = RELOAD % version
            page = page.replace("</body>", script + "</body>") if "</body>" in page else page + script
            self.page, self.stamp, self.version = page, stamp, version
        return problems

    def watch(self, stop: threading.Event, every: float = 0.5) -> None:
        while not stop.wait(every):
            try:
                problems = self.refresh()
            except Exception as exc:  # keep serving whatever happens in one rebuild
                problems = [f"{type(exc).__name__}: {exc}"]
            if problems is not None:
                print(status(problems), flush=True)


def status(problems: list[str]) -> str:
    """One line after a rebuild: that it worked, or that it failed and why."""
    when = time.strftime('%H:%M:%S')
    if not problems:
        return f"rebuilt ({when})"
    return f"rebuild failed ({when}): {'; '.join(problems)} (the page shows the error)"


def local_host(value: str | None, port: int) -> bool:
    """Whether a Host header names this machine by a local name, with the server's port."""
    if not value:
        return False
    allowed = {f"{name}:{port}" for name in LOCAL_NAMES} | (set(LOCAL_NAMES) if port == 80 else set())
    return value.strip().lower() in allowed


class Server(http.server.ThreadingHTTPServer):
    """A threading server with a cap on connections served at once."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, *args, **kwargs):
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        if not self.slots.acquire(timeout=QUEUE_SECONDS):
            try:
                request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n"
                                b"Connection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def serve(path: Path, audience: str | None, port: int, host: str = "127.0.0.1") -> None:
    try:
        server = Server((host, port), Handler)
    except OSError as exc:
        raise BriefgenError(Problem(f"cannot serve on {host}:{port}: {exc.strerror or exc}", key="--port",
                                    hint="another program uses this port; choose another with --port N, "
                                         "or --port 0 for any free one")) from None
    try:
        state = Preview(path, audience)
        server.state = state
        stop = threading.Event()
        threading.Thread(target=state.watch, args=(stop,), daemon=True).start()
        if state.problems:
            print(status(state.problems).replace("rebuild", "build", 1), flush=True)
        print(f"previewing http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
    finally:
        server.server_close()


class Handler(http.server.BaseHTTPRequestHandler):
    timeout = IDLE_SECONDS  # a connection idle this long is closed

    def do_GET(self):  # noqa: N802
        if not local_host(self.headers.get("Host"), self.server.server_address[1]):
            self.send_error(421, "Misdirected Request", "this preview answers only to 127.0.0.1 and localhost")
            return
        state = self.server.state
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
