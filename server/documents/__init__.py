"""The document viewer: a cited document's text, by page or section, as the user may read it."""
