"""Nothing in the product knows the sample topic: an unrelated brief builds the same way."""

from __future__ import annotations

import re

from conftest import ROOT

TOPIC = re.compile(r"korea|russia|putin|pyongyang|kim jong|moscow|seoul|ukrain|kremlin", re.I)


def test_package_and_templates_hold_no_sample_topic_words():
    files = [p for d in ("briefgen", "templates") for p in (ROOT / d).rglob("*") if p.is_file()
             and p.suffix in (".py", ".html", ".css", ".txt", ".md", ".yaml")]
    assert files
    hits = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in files
            for m in [TOPIC.search(p.read_text(encoding="utf-8"))] if m]
    assert hits == []


def test_unrelated_brief_builds_with_its_own_sections_sources_and_claims(drought):
    text = drought.pdf_text
    for title in ["Lake Ardon Drought", "Rationing in the city", "Farms and the harvest", "Outlook",
                  "Disputed claims", "Sources"]:
        assert title in text
    assert not TOPIC.search(text) and not TOPIC.search(drought.html)
    ids = sorted(s["id"] for s in drought.data["sources"])
    assert ids == ["farm-union", "reservoir-warning", "utility-rationing"]  # glob: ids from file stems
    assert all(s["outlet"] == "Example Media" and s["reliability"] == "C" for s in drought.data["sources"])
    for section in drought.data["sections"][:3]:
        assert len(section["points"]) >= 2
    claim = drought.data["claims"][0]
    assert claim["status"] == "contested"
    assert claim["stances"]["reservoir-warning"]["stance"] == "asserts"
    assert "could run dry by the end of August" in claim["stances"]["reservoir-warning"]["evidence"]
    # the utility is declared as disputing, but its article has no matching sentence: say so
    assert claim["stances"]["utility-rationing"] == {"stance": "disputes", "evidence": None, "start": None,
                                                     "end": None, "number": 3, "contradicts": False,
                                                     "declared": True, "also": [],
                                                     "judge": None, "confidence": 1.0, "deciding": []}
    assert "no matching sentence found" in drought.html
    assert "OFFICIAL" in text
