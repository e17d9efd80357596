"""Folder → a new brief project (`init`); built-in template name → a copy to edit (`templates`)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .errors import OutputError, Problem
from .render.html import builtin_templates

CONFIG = """\
# briefgen project: `briefgen build` turns the articles below into a sourced brief in build/.
# Every key is documented in briefgen's README; `briefgen validate` checks this file.

brief:
  title: City Council Weekly
  subtitle: What the council decided and what is disputed
  organisation: Your organisation
  author: Your name
  marking: OFFICIAL
  summary: |
    The council approved the harbour plan [@welcome]. Write your bottom line here in Markdown;
    a source id in square brackets after an @, as here, becomes a numbered citation.
  max_points: 5

sources:
  - glob: "articles/*"        # .txt, .html, .md, .xml/.rss/.atom; id = file name
    reliability: F            # Admiralty grade A (reliable) … E (unreliable), F cannot be judged

sections:
  - id: decisions
    title: Decisions
    keywords: [approved, vote, plan, budget]
  - id: disputed
    title: Disputed claims
    kind: claims

claims:
  - id: wetlands
    statement: The harbour plan will harm the wetlands.

# Editions for different readers (remove to build a single brief):
audiences:
  - id: executive
    title: Executive summary
    template: executive.html
    max_points: 2
    include: [bluf, judgments, changes, matrix, sources, method]
  - id: analyst
    title: Analyst brief
"""

ARTICLE = """\
Council Approves Harbour Expansion Plan

The city council approved the harbour expansion plan on Tuesday by eleven votes to four, after a debate that lasted into the evening.

The plan adds two deep-water berths and a new ferry terminal, and is expected to cost 180 million over six years.

Environmental groups said the plan would harm the wetlands north of the port and vowed to appeal.

The harbour authority denied that the wetlands would be harmed, saying the new berths were designed to leave the marsh untouched.

Construction is due to start next spring, the council said.
"""

TEMPLATES_README = """\
# Templates

Put a file here to change how briefs look; anything not here comes from briefgen's built-ins.
`briefgen templates list` shows them; `briefgen templates eject NAME` copies one here to edit.
A file in `templates/<audience>/` applies to that audience only.

Change one block of an edition and keep the rest: give the file the name of that audience's
template (`template:` in config.yaml; `brief.html` when none is set), in `templates/<audience>/`,
and extend the built-in one with `default:`. The executive audience uses `executive.html`, so
`templates/executive/executive.html`:

    {% extends "default:executive.html" %}
    {% block footer %}<footer class="method">Prepared for the board.</footer>{% endblock %}

The analyst audience uses `brief.html`, so `templates/analyst/brief.html` would start with
`{% extends "default:brief.html" %}`. `briefgen validate` says when a file here has no effect.
"""


def init(folder: Path) -> list[Path]:
    """Create a new project in `folder` (which must not hold a config yet)."""
    folder = Path(folder)
    if (folder / "config.yaml").exists():
        raise OutputError(Problem("a config.yaml is already there", file=str(folder / "config.yaml"),
                                  hint="choose an empty folder, or edit that config"))
    files = {"config.yaml": CONFIG, "articles/welcome.txt": ARTICLE,
             "templates/README.md": TEMPLATES_README, ".gitignore": "build/\n"}
    made = []
    for name, text in files.items():
        path = folder / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise OutputError(Problem(f"cannot create {name}: {exc.strerror}", file=str(path))) from None
        made.append(path)
    return made


def listing() -> list[tuple[str, str]]:
    """(name, what it is) of every built-in template."""
    out = []
    for path in sorted(builtin_templates().iterdir()):
        if path.is_file() and path.suffix in (".html", ".css", ".txt"):
            match = re.search(r"(?:\{#-?|/\*)\s*(.+?)(?:\n|$)", path.read_text(encoding="utf-8"))
            out.append((path.name, match.group(1).rstrip(" -#}*/") if match else ""))
    return out


def eject(name: str, project: Path, audience: str | None = None, force: bool = False) -> Path:
    """Copy built-in template `name` into the project's templates/ (or templates/<audience>/)."""
    source = builtin_templates() / name
    known = [n for n, _ in listing()]
    if name not in known:
        raise OutputError(Problem(f"no built-in template '{name}'", hint=f"choose one of: {', '.join(known)}"))
    target = Path(project) / "templates" / (audience or "") / name
    if target.exists() and not force:
        raise OutputError(Problem("the project already has this template", file=str(target),
                                  hint="edit it, or pass --force to replace it"))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target
