"""`briefgen validate` on broken projects: one clear line per problem, exit 1, never a traceback."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from conftest import run_cli

ARTICLE = ("Council Approves Harbour Plan\n\n"
           "The city council approved the harbour expansion plan on Tuesday by a wide margin.\n\n"
           "Opponents said the plan would harm the wetlands north of the port and vowed to appeal.\n")

GOOD = """\
brief:
  title: Harbour brief
sources:
  - id: council
    path: articles/council.txt
sections:
  - id: plan
    title: The plan
    articles: [council]
"""


def project(tmp_path: Path, config: str) -> Path:
    (tmp_path / "articles").mkdir(exist_ok=True)
    (tmp_path / "articles" / "council.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "config.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
    return tmp_path


def validate(tmp_path: Path, config: str, *extra: str):
    project(tmp_path, config)
    return run_cli("validate", "--config", "config.yaml", *extra, cwd=tmp_path)


def errors(result) -> list[str]:
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    assert all(line.startswith("error: ") for line in lines), lines
    return lines


def test_a_good_config_validates(tmp_path):
    result = validate(tmp_path, GOOD)
    assert result.returncode == 0, result.stderr
    assert "OK (1 sources, 1 sections, 0 claims)" in result.stdout


CASES = {
    "yaml syntax error": (GOOD.replace("    title: The plan", "    title: [The plan"),
                          [r"config.yaml:\d+: YAML error: .*fix the YAML syntax"]),
    "unknown key with a hint": (GOOD.replace("  title: Harbour brief", "  titel: Harbour brief"),
                                [r"config.yaml:1: brief.title: required key is missing \(add 'title:'\)",
                                 r"config.yaml:2: brief.titel: unknown key 'titel' \(did you mean 'title'\?\)"]),
    "unknown top-level key": (GOOD + "section:\n  - id: x\n",
                              [r"config.yaml:10: section: unknown key 'section' \(did you mean 'sections'\?\)"]),
    "unknown source id": (GOOD.replace("articles: [council]", "articles: [councl]"),
                          [r"config.yaml:9: sections\[0\].articles\[0\]: unknown source id 'councl' \(did you mean 'council'\?\)"]),
    "unknown section id": (GOOD.replace("    path: articles/council.txt", "    path: articles/council.txt\n    sections: [plans]"),
                           [r"config.yaml:6: sources\[0\].sections\[0\]: unknown section id 'plans' \(did you mean 'plan'\?\)"]),
    "missing file": (GOOD.replace("articles/council.txt", "articles/missing.txt"),
                     [r"config.yaml:5: sources\[0\].path: file not found: articles/missing.txt \(check the path; it is relative to the config file\)"]),
    "wrong type": (GOOD.replace("articles: [council]", "articles: council"),
                   [r"config.yaml:9: sections\[0\].articles: expected a list, got text"]),
    "bad date": (GOOD.replace("  title: Harbour brief", "  title: Harbour brief\n  date: next week"),
                 [r"config.yaml:3: brief.date: 'next week' is not a date \(write dates as YYYY-MM-DD\)"]),
    "bad grade": (GOOD.replace("    path: articles/council.txt", "    path: articles/council.txt\n    reliability: G"),
                  [r"config.yaml:6: sources\[0\].reliability: 'G' is not allowed: 'A', 'B', 'C', 'D', 'E' or 'F'"]),
    "empty glob": (GOOD.replace("  - id: council\n    path: articles/council.txt", "  - glob: news/*.txt"),
                   [r"config.yaml:4: sources\[0\].glob: glob 'news/\*.txt' matched no files"]),
    "python object tag": ("brief: !!python/object/apply:os.system ['true']\n",
                          [r"config.yaml:1: YAML error: .*tag.*refused"]),
    "not a mapping": ("- just\n- a list\n", [r"config.yaml:1: the config must be a mapping"]),
    "missing sections": (GOOD.split("sections:")[0], [r"config.yaml:1: missing required key 'sections' \(add a 'sections:' section\)"]),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_broken_config_gets_one_clear_line_per_problem(tmp_path, case):
    config, expected = CASES[case]
    result = validate(tmp_path, config)
    assert result.returncode == 1
    lines = errors(result)
    assert len(lines) == len(expected), lines
    for pattern, line in zip(expected, lines):
        assert re.search(pattern, line), (pattern, line)


def test_every_problem_is_reported_at_once(tmp_path):
    config = GOOD.replace("  title: Harbour brief", "  titel: Harbour brief") \
                 .replace("articles/council.txt", "articles/gone.txt") \
                 .replace("    title: The plan", "    title: The plan\n    keywords: plan")
    lines = errors(validate(tmp_path, config))
    assert len(lines) == 4, lines
    assert [l.split(": ")[1] for l in lines] == [
        "config.yaml:1", "config.yaml:2", "config.yaml:5", "config.yaml:9"]


@pytest.mark.parametrize("content, message", [
    (b"", "file is empty (skipped)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "file is binary, not text (skipped)"),
    (b"Menu\n\nShare on X\n", "no article text left after removing site chrome (skipped)"),
])
def test_unusable_articles_are_skipped_by_name_and_no_source_at_all_is_an_error(tmp_path, content, message):
    project(tmp_path, GOOD)
    (tmp_path / "articles" / "council.txt").write_bytes(content)
    result = run_cli("validate", cwd=tmp_path)
    assert result.returncode == 1
    assert errors(result) == [f"error: articles/council.txt: {message}",
                              "error: config.yaml: no source could be read (check the files the config names)"]


def test_debug_shows_the_traceback(tmp_path):
    result = validate(tmp_path, GOOD.replace("articles: [council]", "articles: [nope]"), "--debug")
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "ConfigError" in result.stderr


def test_missing_config_file(tmp_path):
    result = run_cli("validate", "--config", "nowhere.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert errors(result) == ["error: nowhere.yaml: config file not found (pass --config PATH or run in the project folder)"]
