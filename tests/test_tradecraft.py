"""Tradecraft checks through the CLI: estimative language in the analyst's own prose (issue 17)."""

from __future__ import annotations

import json
import shutil

from conftest import DROUGHT, SAMPLE, run_cli


def project(tmp_path, judgments: list[str]):
    root = tmp_path / "p"
    shutil.copytree(DROUGHT.parent, root)
    config = root / "config.yaml"
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
