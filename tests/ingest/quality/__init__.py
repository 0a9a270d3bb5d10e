"""The ingest's quality gate: labelled postings, the board's reading of them, and the scores."""
