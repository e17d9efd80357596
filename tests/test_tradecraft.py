"""Tradecraft checks through the CLI: estimative language in the analyst's own prose (issue 17)."""

from __future__ import annotations

import json
import shutil

from conftest import DROUGHT, SAMPLE, drought_copy, run_cli


def project(tmp_path, judgments: list[str]):
    root, config = drought_copy(tmp_path)
    lines = "".join(f"    - {j}\n" for j in judgments)
    config.write_text(config.read_text().replace("  date: 2025-07-04\n", f"  date: 2025-07-04\n  judgments:\n{lines}"))
    return config


def credibility(config, claim: str) -> int:
    result = run_cli("claims", "--config", str(config), "--json")
    assert result.returncode == 0, result.stderr
    return next(c["credibility"] for c in json.loads(result.stdout) if c["id"] == claim)


def test_a_strong_word_on_a_weak_claim_is_one_warning_naming_file_line_and_claim(tmp_path):
    config = project(tmp_path, ["The reservoir will almost certainly run dry by August [@run-dry]."])
    assert credibility(config, "run-dry") >= 4  # contested: the utility rejects the forecast
    result = run_cli("validate", "--config", str(config))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, result.stderr
    line = next(i for i, text in enumerate(config.read_text().splitlines(), 1) if "almost certainly" in text)
    assert f"config.yaml:{line}: brief.judgments[0]:" in warnings[0]
    assert "'almost certainly'" in warnings[0] and "'run-dry'" in warnings[0]


def test_a_vague_judgment_is_warned_at_validate_and_at_build(tmp_path):
    config = project(tmp_path, ["Rationing may spread to the farms [@farm-union]."])
    result = run_cli("validate", "--config", str(config))
    assert "vague word 'may'" in result.stderr and "brief.judgments[0]" in result.stderr
    built = run_cli("build", "--config", str(config), "--out", str(tmp_path / "out"))
    assert built.returncode == 0 and "vague word 'may'" in built.stderr


def test_a_judgment_citing_a_claim_links_to_it_with_its_credibility(tmp_path):
    config = project(tmp_path, ["The reservoir is unlikely to run dry by August [@run-dry]."])
    built = run_cli("build", "--config", str(config), "--out", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    html = next((tmp_path / "out").glob("*.html")).read_text()
    assert 'href="#claim-run-dry"' in html and 'id="claim-run-dry"' in html
    assert "warning" not in built.stderr  # 'unlikely' is a term of the scale, and not a strong one


def test_the_sample_config_is_clean():
    result = run_cli("validate", "--config", str(SAMPLE))
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr


# --- grades earned from track record ---------------------------------------------------------
from briefgen.compose import track  # noqa: E402


def record_of(**sides):
    """One stored brief: claim id → {source: stance}; sources are their own outlets."""
    from briefgen.compose.history import Record

    return Record(stances=sides)


def test_fewer_than_five_settled_claims_suggest_nothing():
    series = [record_of(**{f"c{i}": {"a": "asserts", "b": "asserts"} for i in range(4)})]
    [a, b] = track.records(series)
    assert (a.upheld, a.refuted) == (4, 0) and track.suggest("C", a) is None


def test_all_upheld_raises_the_grade_all_contradicted_lowers_it():
    series = [record_of(**{f"c{i}": {"good": "asserts", "peer": "asserts", "bad": "disputes"} for i in range(8)})]
    records = {r.outlet: r for r in track.records(series)}
    assert (records["good"].upheld, records["good"].refuted) == (8, 0)
    assert (records["bad"].upheld, records["bad"].refuted) == (0, 8)
    assert track.suggest("C", records["good"]) == "A"
    assert track.suggest("C", records["bad"]) == "E"


def test_the_prior_holds_with_few_settled_claims():
    mixed = track.Record("x", upheld=3, refuted=2, open=0)
    assert track.suggest("A", mixed) == "B" and track.suggest("E", mixed) == "D"


def test_the_latest_edition_settles_a_claim_and_unsettled_claims_stay_open():
    early = record_of(c1={"a": "asserts"})  # single source: open
    late = record_of(c1={"a": "asserts", "b": "asserts"}, c2={"a": "asserts", "b": "disputes"})
    a = next(r for r in track.records([early, late]) if r.outlet == "a")
    assert (a.upheld, a.refuted, a.open) == (1, 0, 1)


def test_sources_prints_each_outlets_record_after_two_builds(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(DROUGHT.parent, root)
    config = root / "config.yaml"
    text = config.read_text()
    sources = ("sources:\n"
               "  - {id: reservoir-warning, path: articles/reservoir-warning.txt, outlet: Valley Post, reliability: C}\n"
               "  - {id: farm-union, path: articles/farm-union.txt, outlet: Farm Weekly, reliability: C}\n"
               "  - {id: utility-rationing, path: articles/utility-rationing.txt, outlet: City Utility, reliability: B}\n")
    text = text[:text.index("sources:")] + sources + text[text.index("\nsections:") + 1:]

    def claims(n):
        return "".join(f"  - id: c{i}\n    statement: Statement number {i} about the reservoir.\n"
                       f"    asserted_by: [reservoir-warning, farm-union]\n    disputed_by: [utility-rationing]\n"
                       for i in range(n))
    head = text[:text.index("claims:")]
    config.write_text(head + "claims:\n" + claims(2))
    out = tmp_path / "out"
    assert run_cli("build", "--config", str(config), "--out", str(out), "--week", "2025-W26").returncode == 0
    first = run_cli("sources", "--config", str(config), "--out", str(out))
    assert "Valley Post" in first.stdout and "fewer than 5 settled" in first.stdout
    config.write_text(head + "claims:\n" + claims(6))
    assert run_cli("build", "--config", str(config), "--out", str(out), "--week", "2025-W27").returncode == 0
    second = run_cli("sources", "--config", str(config), "--out", str(out))
    rows = {line.split()[0]: line.split() for line in second.stdout.splitlines() if line.startswith(("Valley", "City"))}
    assert rows["Valley"][2:] == ["C", "6", "0", "0", "B"], second.stdout
    assert rows["City"][2:] == ["B", "0", "6", "0", "E"], second.stdout
