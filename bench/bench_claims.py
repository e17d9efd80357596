"""N derived Wikinews articles → time of evidence + claims stages (issue target: 2,000 in < 20 s)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import make  # noqa: E402

from briefgen.analysis import claims, evidence  # noqa: E402
from briefgen import config
from briefgen.ingest import corpus as ingest

CONFIG = """brief: {title: Bench}
sources: [{glob: "articles/*.txt"}]
sections:
  - {id: politics, title: Politics, keywords: [election, president, government, minister]}
  - {id: disasters, title: Disasters, keywords: [fire, earthquake, flood, crash, killed]}
  - {id: disputed, title: Disputed claims, kind: claims}
claims:
  - {id: c1, statement: The government denied that the election was rigged.}
  - {id: c2, statement: The fire was caused by a gas leak.}
stance: {discover: 5}
"""


def run(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make(root / "articles", n)
        (root / "config.yaml").write_text(CONFIG)
        cfg = config.load(root / "config.yaml")
        t0 = time.perf_counter()
        corpus = ingest.ingest(cfg)
        t1 = time.perf_counter()
        passages = evidence.split(corpus.articles)
        ranked = evidence.rank(cfg, corpus, passages)
        t2 = time.perf_counter()
        found = claims.assess(cfg, corpus, passages)
        t3 = time.perf_counter()
    return {"articles": len(corpus.articles), "sentences": len(passages), "ingest": t1 - t0,
            "evidence": t2 - t1, "claims": t3 - t2, "claims_found": len(found), "ranked": len(ranked)}


if __name__ == "__main__":
    for n in [int(a) for a in sys.argv[1:]] or [2000]:
        r = run(n)
        print(f"{n} articles ({r['articles']} after dedupe, {r['sentences']} sentences): ingest {r['ingest']:.1f} s, "
              f"evidence {r['evidence']:.1f} s, claims {r['claims']:.1f} s; "
              f"evidence+claims {r['evidence'] + r['claims']:.1f} s")
