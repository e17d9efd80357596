"""Config, Corpus, Evidence and Claims → one Brief per audience, with what changed since last time.

Modules: `window` (the reporting period and the sources in it), `audience` (what an edition may
cite: the grade floor), `brief` (points chosen, sources numbered, prose rendered: the Brief),
`history` (each edition recorded; two records → Changes).
"""

from .brief import compose

__all__ = ["compose"]
