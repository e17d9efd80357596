"""Config → the problems and warnings of each audience's templates, before anything is rendered.

`briefgen validate` runs this so that "OK" means a build will not fail on a template: each
audience's template and every template it extends, includes or imports is parsed (syntax errors
with file and line; a missing template named); a block that no parent template has, and a file
in `templates/<audience>/` that the audience never loads, are warnings: they have no effect.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import nodes

from ..errors import Problem
from .html import _template_problem, environment


def check(cfg) -> tuple[list[Problem], list[str]]:
    """(problems that would fail the build, warnings about templates that have no effect)."""
    problems: list[Problem] = []
    warnings: list[str] = []
    for i, aud in enumerate(cfg.audiences or [None]):
        env = environment(cfg.root, aud.id if aud else None)
        name = aud.template if aud else "brief.html"
        loaded: set[str] = set()
        try:
            _walk(env, name, loaded, warnings)
        except jinja2.TemplateNotFound as exc:
            problems.append(Problem(f"template not found: {exc.name}", file=str(cfg.file),
                                    line=cfg.lines.get(f"audiences[{i}].template"),
                                    key=f"audiences[{i}].template" if aud else None,
                                    hint="see 'briefgen templates list' for the built-in ones"))
            continue
        except jinja2.TemplateSyntaxError as exc:
            problems.append(_template_problem(exc))
            continue
        if aud is not None:
            own = cfg.root / "templates" / aud.id
            for path in sorted(own.glob("*.html")) if own.is_dir() else ():
                if path.name not in loaded:
                    warnings.append(f"{_shown(path, cfg.root)} has no effect: the '{aud.id}' edition uses "
                                    f"{name}; name it templates/{aud.id}/{name} and start it with "
                                    f'{{% extends "default:{name}" %}}')
    return problems, list(dict.fromkeys(warnings))


def _walk(env: jinja2.Environment, name: str, loaded: set[str], warnings: list[str]) -> set[str]:
    """Parse `name` and what it loads; returns the block names it and its parents define."""
    loaded.add(name)  # "default:x.html" goes straight to the built-in: the project's x.html is not loaded
    source, filename, _ = env.loader.get_source(env, name)
    tree = env.parse(source, name, filename)
    own = {b.name for b in tree.find_all(nodes.Block)}
    parents: set[str] = set()
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        target = node.template
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            found = _walk(env, target.value, loaded, warnings)
            if isinstance(node, nodes.Extends):
                parents |= found
                for block in sorted(own - found):
                    warnings.append(f"{filename}: block '{block}' is not in {target.value}: it has no effect")
    return own | parents


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
