"""Brief × audience → one file per output format (HTML, PDF, JSON).

Modules: `engine` (templates, HTML, the isolated PDF engine, JSON), `charts` (inline SVG pictures),
`fontstamp` (embedded fonts carry the brief's build time: byte-identical PDFs).
"""
