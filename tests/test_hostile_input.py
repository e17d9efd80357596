"""Hostile input, round two (issue 19): one YAML policy, one URL policy, feeds read as bytes,
prose files kept inside the project. Each case through the CLI, as a user meets it."""

from __future__ import annotations

import json

from conftest import DROUGHT, drought_copy, run_cli

BOMB = "\n".join(["a: &a [x, x, x, x, x, x, x, x, x]"] +
                 [f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi")])


def project(tmp_path):
    return drought_copy(tmp_path)


def test_a_key_given_twice_is_an_error_naming_both_lines(tmp_path):
    root, config = project(tmp_path)
    text = config.read_text()
    config.write_text(text + "\nsources:\n  - id: other\n    path: articles/farm-union.txt\n")
    first = text.splitlines().index("sources:") + 1
    second = len(text.splitlines()) + 2
    result = run_cli("validate", "--config", str(config))
    assert result.returncode == 1
    assert f"key 'sources' is given twice (lines {first} and {second})" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unclosed_quote_points_at_the_line_where_it_opens(tmp_path):
    root, config = project(tmp_path)
    lines = config.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  subtitle:"))
    lines[at] = '  subtitle: "Water rationing in Varenna'
    config.write_text("\n".join(lines) + "\n")
    result = run_cli("validate", "--config", str(config))
    assert result.returncode == 1
    assert f"config.yaml:{at + 1}: YAML error: a quoted string is not closed" in result.stderr


def test_an_alias_bomb_in_front_matter_is_ignored_with_a_warning(tmp_path):
    root, config = project(tmp_path)
    (root / "articles" / "bomb.md").write_text(f"---\n{BOMB}\ntitle: *i\n---\nThe reservoir fell again on "
                                               "Tuesday, the utility said in a notice to households.\n")
    config.write_text(config.read_text().replace('glob: "articles/*.txt"', 'glob: "articles/*"'))
    result = run_cli("sources", "--config", str(config), "--json")
    assert result.returncode == 0, result.stderr
    bomb = next(s for s in json.loads(result.stdout) if s.get("id") == "bomb")
    assert any("front matter expands to more than" in w for w in bomb["warnings"])


def test_a_feed_whose_content_is_a_path_reads_no_file(tmp_path):
    root, config = project(tmp_path)
    secret = tmp_path / "private.xml"
    secret.write_text("<rss><channel><title>Private</title><item><title>SECRET-ITEM</title>"
                      "<description>Classified text that must never be read.</description></item></channel></rss>")
    (root / "articles" / "trap.rss").write_text(str(secret))
    config.write_text(config.read_text().replace('glob: "articles/*.txt"', 'glob: "articles/*"'))
    result = run_cli("build", "--config", str(config), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    outputs = [p for p in (tmp_path / "out").glob("*.*") if p.is_file()]
    assert outputs and not any(b"SECRET-ITEM" in p.read_bytes() for p in outputs)


def test_javascript_links_from_feeds_and_front_matter_reach_no_output(tmp_path):
    root, config = project(tmp_path)
    (root / "articles" / "items.rss").write_text(
        "<rss><channel><title>Valley Wire</title><item><title>Rationing extended</title>"
        "<link>javascript:alert(document.cookie)</link><description>The utility extended water rationing "
        "to the northern districts on Monday, its notice said.</description></item></channel></rss>")
    (root / "articles" / "note.md").write_text("---\ntitle: Farm note\nurl: \"JaVaScRiPt:alert(1)\"\n---\n"
                                               "Farmers in the valley cut irrigation by a third this week, "
                                               "the union said on Friday.\n")
    config.write_text(config.read_text().replace('glob: "articles/*.txt"', 'glob: "articles/*"'))
    result = run_cli("build", "--config", str(config), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "link dropped" in result.stderr or "link dropped" in (tmp_path / "out").joinpath(
        next(p.name for p in (tmp_path / "out").glob("*.json"))).read_text()
    outputs = [p for p in (tmp_path / "out").glob("*.*") if p.is_file()]
    assert outputs and not any(b"javascript:" in p.read_bytes().lower() for p in outputs)


def test_a_config_link_must_be_http_https_or_mailto(tmp_path):
    root, config = project(tmp_path)
    config.write_text(config.read_text().replace("    outlet: Example Media\n",
                                                 "    outlet: Example Media\n    url: javascript:alert(1)\n"))
    result = run_cli("validate", "--config", str(config))
    assert result.returncode == 1 and "is not an http, https or mailto URL" in result.stderr


def test_a_file_feed_is_refused_with_a_message_that_says_why(tmp_path):
    root, config = project(tmp_path)
    config.write_text(config.read_text() + "")
    text = config.read_text().replace("sources:\n", "sources:\n  - id: local\n    feed: file:///etc/passwd\n", 1)
    config.write_text(text)
    result = run_cli("validate", "--config", str(config))
    assert result.returncode == 1
    assert "'file:///etc/passwd' is not an http(s) URL" in result.stderr and "not a valid id" not in result.stderr


def test_a_prose_file_outside_the_project_is_refused(tmp_path):
    root, config = project(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text("SECRET-PROSE")
    for ref in ("../secret.md", str(secret)):
        config.write_text(DROUGHT.read_text().replace("  date: 2025-07-04\n",
                                                      f"  date: 2025-07-04\n  summary: {{file: {ref}}}\n"))
        result = run_cli("build", "--config", str(config), "--out", str(tmp_path / "out"))
        assert result.returncode == 1, ref
        assert "leaves the project folder" in result.stderr and "brief.summary.file" in result.stderr
        assert not any(b"SECRET-PROSE" in p.read_bytes() for p in (tmp_path / "out").glob("*.*") if p.is_file())
