"""Config → a problem for every citation key in the analyst's prose that names no source or claim.

Prose is the bottom line, the key judgments and the section intros, inline or in Markdown
files. Each unknown [@key] is reported where it is written (file and line), all of them at
once, so `briefgen validate` catches what `briefgen build` would stop on.
"""

from __future__ import annotations

import difflib
import re

from ..errors import Problem

CITE_KEYS = re.compile(r"\[(@[A-Za-z0-9][\w.~-]*(?:\s*;\s*@[A-Za-z0-9][\w.~-]*)*)\]")
"""[@id] or [@id; @id2]: citations in Markdown prose (sources or claims, by id)."""


def prose_items(cfg) -> list[tuple[str, object]]:
    """(dotted config key, value) of every prose field: inline text or a file reference."""
    b = cfg.brief
    return [("brief.summary", b.summary), *((f"brief.judgments[{i}]", j) for i, j in enumerate(b.judgments)),
            *((f"sections[{i}].intro", s.intro) for i, s in enumerate(cfg.sections))]


def check(cfg) -> list[Problem]:
    known = [s.id for s in cfg.sources] + [c.id for c in cfg.claims]
    problems = []
    for key, value in prose_items(cfg):
        if value is None:
            continue
        text = cfg.prose(value) or ""
        inline = isinstance(value, str)
        for match in CITE_KEYS.finditer(text):
            for cited in (k.strip()[1:] for k in match.group(1).split(";")):
                if cited in known or any(s.feed and cited.startswith(f"{s.id}~") for s in cfg.sources):
                    continue
                before = text[:match.start()].count("\n")
                if inline:
                    start = cfg.lines.get(key)
                    line = start + 1 + before if start is not None and "\n" in text.rstrip("\n") else start
                    where = str(cfg.file)
                else:
                    line, where = before + 1, str(cfg.root / value.file)
                hint = difflib.get_close_matches(cited, known, n=1)
                problems.append(Problem(f"unknown source or claim '{cited}' in citation [@{cited}]", file=where,
                                        line=line, key=key, hint=f"did you mean '{hint[0]}'?" if hint else
                                        "cite a source id from 'sources:' or a claim id from 'claims:'"))
    return problems
