"""What a new user meets in the first hour (issue 18): validate catches what build would stop on,
the scaffold's own template example works, and messages say what to do."""

from __future__ import annotations

from pathlib import Path

from conftest import drought_copy, run_cli


def project(tmp_path):
    return drought_copy(tmp_path)


def test_validate_reports_every_unknown_citation_with_its_line(tmp_path):
    root, config = project(tmp_path)
    (root / "intro.md").write_text("The utility's notice.\n\nIt cites [@utility-notice].\n")
    text = config.read_text().replace("  date: 2025-07-04\n", "  date: 2025-07-04\n  summary: |\n"
                                      "    Rationing began on Monday.\n    The regulator said so [@regulatr-notice].\n"
                                      "  judgments:\n    - Farms suffer [@farm-unoin; @reservoir-warning].\n")
    text = text.replace("    title: Rationing in the city\n", "    title: Rationing in the city\n"
                        "    intro: {file: intro.md}\n")
    config.write_text(text)
    lines = text.splitlines()
    result = run_cli("validate", "--config", str(config))
    assert result.returncode == 1
    bad = lines.index("    The regulator said so [@regulatr-notice].") + 1
    judged = lines.index("    - Farms suffer [@farm-unoin; @reservoir-warning].") + 1
    assert f"config.yaml:{bad}: brief.summary: unknown source or claim 'regulatr-notice'" in result.stderr
    assert f"config.yaml:{judged}: brief.judgments[0]: unknown source or claim 'farm-unoin'" in result.stderr
    assert "did you mean 'farm-union'?" in result.stderr
    assert "intro.md:3: sections[0].intro: unknown source or claim 'utility-notice'" in result.stderr
    built = run_cli("build", "--config", str(config), "--out", str(tmp_path / "out"))
    assert built.returncode == 1 and built.stderr.count("unknown source or claim") == 3


def test_validate_reports_a_template_syntax_error_with_file_and_line(tmp_path):
    root, config = project(tmp_path)
    (root / "templates").mkdir()
    (root / "templates" / "brief.html").write_text('{% extends "default:brief.html" %}\n'
                                                   '{% block footer %}{% if x %}\n{% endblock %}\n')
    result = run_cli("validate", "--config", str(config))
    assert result.returncode == 1
    assert "templates/brief.html:3" in result.stderr and "template error" in result.stderr


def test_validate_warns_of_a_block_no_parent_has(tmp_path):
    root, config = project(tmp_path)
    (root / "templates").mkdir()
    (root / "templates" / "brief.html").write_text('{% extends "default:brief.html" %}\n'
                                                   '{% block fotoer %}Prepared for the board.{% endblock %}\n')
    result = run_cli("validate", "--config", str(config))
    assert result.returncode == 0
    assert "block 'fotoer' is not in default:brief.html: it has no effect" in result.stderr


def test_the_scaffolds_template_example_changes_the_executive_edition(tmp_path):
    folder = tmp_path / "new"
    assert run_cli("init", str(folder)).returncode == 0
    readme = (folder / "templates" / "README.md").read_text()
    example = readme[readme.index("    {% extends"):].split("\n\n")[0]
    target = readme[readme.index("`templates/executive/"):].split("`")[1]
    (folder / target).parent.mkdir(parents=True, exist_ok=True)
    (folder / target).write_text("\n".join(line[4:] for line in example.splitlines()) + "\n")
    result = run_cli("build", "--config", str(folder / "config.yaml"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    executive = next((tmp_path / "out").glob("*executive.html")).read_text()
    analyst = next((tmp_path / "out").glob("*analyst.html")).read_text()
    assert "Prepared for the board." in executive and "Prepared for the board." not in analyst


def test_a_template_in_an_audience_folder_that_is_never_used_is_named(tmp_path):
    folder = tmp_path / "new"
    run_cli("init", str(folder))
    (folder / "templates" / "executive").mkdir()
    (folder / "templates" / "executive" / "brief.html").write_text('{% extends "default:brief.html" %}\n')
    result = run_cli("validate", "--config", str(folder / "config.yaml"))
    assert result.returncode == 0
    assert "templates/executive/brief.html has no effect" in result.stderr
    assert "templates/executive/executive.html" in result.stderr


def test_init_says_how_to_run_briefgen_from_the_new_folder(tmp_path):
    result = run_cli("init", str(tmp_path / "new"))
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith(f"next: cd {tmp_path / 'new'} && ")
    assert "&& briefgen build" not in last  # briefgen is not on the PATH of a fresh clone
    assert "-m briefgen build" in last or "/bin/briefgen build" in last


def test_eject_for_an_unknown_audience_is_an_error_and_creates_nothing(tmp_path):
    folder = tmp_path / "new"
    run_cli("init", str(folder))
    result = run_cli("templates", "eject", "brief.html", "--audience", "exectuive",
                     "--config", str(folder / "config.yaml"))
    assert result.returncode == 1
    assert "no audience 'exectuive'" in result.stderr and "did you mean 'executive'?" in result.stderr
    assert not (folder / "templates" / "exectuive").exists()


def schema_keys() -> list[str]:
    """Every key the config schema accepts, dotted (nested models followed)."""
    import typing

    from pydantic import BaseModel

    from briefgen.config.schema import TOP_LEVEL

    def walk(model, prefix):
        out = []
        for name, field in model.model_fields.items():
            out.append(prefix + name)
            for t in (field.annotation, *typing.get_args(field.annotation)):
                for u in (t, *typing.get_args(t)):
                    if isinstance(u, type) and issubclass(u, BaseModel):
                        out += walk(u, f"{prefix}{name}.")
        return out
    return [k for top, model in TOP_LEVEL.items() for k in walk(model, f"{top}.")]


def test_the_readme_documents_every_config_key_the_schema_accepts():
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    keys = schema_keys()
    assert len(keys) > 60
    missing = [k for k in keys if not re.search(rf"(^|[\s`{{,]){re.escape(k.split('.')[-1])}:", readme, re.M)]
    assert missing == [], f"config keys the README does not document: {missing}"
