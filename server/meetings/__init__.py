"""Meeting transcripts as the web app shows them (the target of transcript citations)."""
