"""config.yaml path → Config: parsed safely, every problem reported at once, globs expanded.

Modules: `loader` (YAML with line numbers, the checks, the Config value), `checks` (the checks
across entries, by topic: sources, audiences, mail, references), `schema` (pydantic models
of each config entry: the keys the config accepts and their types), `citations` (every [@id] in
the analyst's prose names a source or a claim).
"""

from .loader import Config, SourceSpec, load

__all__ = ["Config", "SourceSpec", "load"]
