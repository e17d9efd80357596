"""Corpus → Passages, Evidence and Claims: sentences, the points worth citing, and who says what.

Modules: `text` (sentence spans, stemmed terms), `segmenter` (pysbd with its patterns compiled once), `evidence` (every sentence as a Passage; the
candidates of each section ranked by salience), `stance` (claim × sentence → cues and stance),
`claims` (configured and discovered claims: each source's stance, a status, a credibility).
"""
