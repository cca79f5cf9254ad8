"""Knowledge documents of the assistants: upload, extraction, chunks, embeddings, hybrid retrieval."""
