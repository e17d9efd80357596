"""N derived articles → JSON on stdout: seconds per stage and peak RSS (run once per process)."""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import make  # noqa: E402

from briefgen.analysis import claims, evidence  # noqa: E402
from briefgen.compose import brief as compose
from briefgen import config
from briefgen.ingest import corpus as ingest
from briefgen.render import html, pdf as render
from briefgen.compose.audience import edition  # noqa: E402
from briefgen.effects import SystemClock  # noqa: E402

CONFIG = """brief: {title: Bench brief, marking: OFFICIAL, date: 2021-03-01}
sources: [{glob: "articles/*.txt", reliability: C}]
sections:
  - {id: politics, title: Politics, keywords: [election, president, government, minister, parliament]}
  - {id: disasters, title: Disasters, keywords: [fire, earthquake, flood, crash, killed]}
  - {id: health, title: Health, keywords: [virus, hospital, vaccine, disease]}
  - {id: disputed, title: Disputed claims, kind: claims}
claims:
  - {id: c1, statement: The government denied that the election was rigged.}
  - {id: c2, statement: The fire was caused by a gas leak.}
stance: {discover: 4}
audiences:
  - {id: executive, template: executive.html, max_points: 2, include: [bluf, judgments, matrix, sources, method]}
  - {id: analyst}
"""


def main(n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make(root / "articles", n)
        (root / "config.yaml").write_text(CONFIG)
        times = {}
        t = time.perf_counter()
        cfg = config.load(root / "config.yaml")
        corpus = ingest.ingest(cfg)
        times["ingest"] = time.perf_counter() - t
        t = time.perf_counter()
        passages = evidence.split(corpus.articles)
        ranked = evidence.rank(cfg, corpus, passages)
        times["evidence"] = time.perf_counter() - t
        t = time.perf_counter()
        found = claims.assess(cfg, corpus, passages)
        times["claims"] = time.perf_counter() - t
        t = time.perf_counter()
        htmls = []
        for aud in cfg.audiences:
            c, r, f = edition(aud, corpus, ranked, found)
            brief = compose.compose(cfg, c, r, f, SystemClock().now(), audience=aud)
            htmls.append((html.to_html(brief, html.environment(cfg.root, aud.id), aud.template), brief.pdf_variant))
        times["render_html"] = time.perf_counter() - t
        t = time.perf_counter()
        pdfs = render.to_pdfs(htmls, cfg.root)
        times["render_pdf"] = time.perf_counter() - t
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    from io import BytesIO

    from pypdf import PdfReader

    return {"articles": n, "sentences": len(passages), "pdf_pages": sum(len(PdfReader(BytesIO(p)).pages) for p in pdfs),
            "times": times, "peak_rss_mb": round(peak, 1)}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
