"""Config → Corpus: every source read by its format's reader, cleaned of site chrome, de-duplicated.

Modules: `readers/` (bytes → Extracted, one module per format, registered by file type),
`chrome` (site furniture and debris removed from text), `dedup` (near-duplicate groups through a
fingerprint index), `corpus` (the stage: read, clean, merge copies, number the sources).
"""

from .corpus import ingest

__all__ = ["ingest"]
