"""`make bench`: the sample brief against bare WeasyPrint, then 100 / 1,000 / 10,000 articles.

Prints a table per size (seconds per stage, peak RSS, growth between sizes), the no-change
rebuild, and last the headline: sample build ÷ bare WeasyPrint render of the same HTML.
Writes the same to bench/RESULTS.md with the machine it ran on.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SIZES = [int(a) for a in os.environ.get("BENCH_SIZES", "100,1000,10000").split(",")]
BARE = """
import sys, weasyprint
from weasyprint.text.fonts import FontConfiguration
from briefgen.render.pdf import font_faces
for path in sys.argv[1:]:
    fonts = FontConfiguration()
    css = weasyprint.CSS(string=font_faces(), font_config=fonts)
    weasyprint.HTML(filename=path).write_pdf(stylesheets=[css], font_config=fonts, pdf_tags=True)
"""


def wall(cmd: list[str], cwd: Path, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    mem = next((int(l.split()[1]) // 1024 for l in Path("/proc/meminfo").read_text().splitlines()
                if l.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    import weasyprint

    return (f"{cpu}, {os.cpu_count()} cores, {mem / 1024:.0f} GiB RAM; Python {platform.python_version()}, "
            f"WeasyPrint {weasyprint.__version__}, {platform.system()} {platform.release()}")


def sample() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "sample"
        shutil.copytree(ROOT / "seeds", work / "seeds")
        shutil.copy(ROOT / "config.yaml", work / "config.yaml")
        cold = []
        for i in range(3):
            shutil.rmtree(work / "build", ignore_errors=True)
            t = time.perf_counter()
            subprocess.run([PY, "-m", "briefgen", "build", "--quiet"], cwd=work, check=True, capture_output=True)
            cold.append(time.perf_counter() - t)
        htmls = sorted(str(p) for p in (work / "build").glob("*.html"))
        bare = wall([PY, "-c", BARE, *htmls], work)
        nochange = wall([PY, "-m", "briefgen", "build", "--quiet"], work)
        article = work / "seeds" / "003_0413e7c0cc1f7413.txt"
        one = []
        for i in range(3):
            article.write_text(article.read_text() + f"\nA further line was added to the article, number {i}.\n")
            t = time.perf_counter()
            subprocess.run([PY, "-m", "briefgen", "build", "--quiet"], cwd=work, check=True, capture_output=True)
            one.append(time.perf_counter() - t)
    return {"cold": statistics.median(cold), "bare": bare, "nochange": nochange,
            "one_article": statistics.median(one), "editions": len(htmls)}


def sizes() -> list[dict]:
    out = []
    for n in SIZES:
        proc = subprocess.run([PY, str(ROOT / "bench" / "stages.py"), str(n)], check=True,
                              capture_output=True, text=True, cwd=ROOT)
        out.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(f"  measured {n} articles", file=sys.stderr, flush=True)
    return out


def report(s: dict, rows: list[dict], info: str) -> str:
    stages = ["ingest", "evidence", "claims", "render_html", "render_pdf"]
    lines = [f"Machine: {info}", "",
             "| articles | sentences | " + " | ".join(stages) + " | total s | ingest+evidence+claims s | peak RSS MB | growth |",
             "|---:|---:|" + "---:|" * len(stages) + "---:|---:|---:|---:|"]
    previous = None
    for r in rows:
        t = r["times"]
        core = t["ingest"] + t["evidence"] + t["claims"]
        growth = f"{core / previous:.1f}×" if previous else "–"
        lines.append(f"| {r['articles']:,} | {r['sentences']:,} | " + " | ".join(f"{t[k]:.2f}" for k in stages)
                     + f" | {sum(t.values()):.1f} | {core:.1f} | {r['peak_rss_mb']:.0f} | {growth} |")
        previous = core
    lines += ["", f"Sample brief ({s['editions']} editions, HTML + PDF + JSON), median of 3 runs of the CLI:",
              f"- cold build: {s['cold']:.2f} s; bare WeasyPrint rendering the same HTML: {s['bare']:.2f} s",
              f"- no-change rebuild: {s['nochange']:.2f} s; one article changed: {s['one_article']:.2f} s", "",
              f"Headline: build ÷ bare render = {s['cold'] / s['bare']:.2f} (target ≤ 1.3)"]
    return "\n".join(lines)


def main() -> None:
    started = time.perf_counter()
    info = machine()
    print("measuring the sample brief…", file=sys.stderr, flush=True)
    s = sample()
    rows = sizes()
    text = report(s, rows, info)
    print(text)
    elapsed = time.perf_counter() - started
    (ROOT / "bench" / "RESULTS.md").write_text(
        "# Benchmark results\n\nWritten by `make bench` (bench/run.py); corpora derived from the Wikinews "
        "articles in the shared corpus (CC BY 2.5, Wikinews contributors).\n\n" + text +
        f"\n\nWhole run: {elapsed:.0f} s. Where the time goes: bench/PROFILE.md.\n")


if __name__ == "__main__":
    main()
