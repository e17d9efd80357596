"""Corpus → Passages, Evidence and Claims: sentences, the points worth citing, and who says what.

Modules: `text` (sentence spans, stemmed terms), `segmenter` (sentence splitting, its patterns
compiled once), `estimative` (probability words of the analyst's prose), `evidence` (every sentence as a Passage; the
candidates of each section ranked by salience), `retrieval` (claim → each source's passages on
it), `judges/` (passages of one source → stance, confidence, deciding sentences; registry with
`lexical` and `llm`), `claims` (configured and discovered claims: each source's stance, a
status, a credibility), `stance` (the earlier per-sentence classifier, kept only for its unit
tests on bench/data/; the pipeline does not use it).
"""
