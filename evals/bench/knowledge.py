"""Knowledge: indexing throughput, hybrid search latency and HNSW recall on 100 000 chunks.

- Indexing: the coach's two documents (RIGTT PDF, 18 pages; the on-call note, 9 sections) extracted,
  chunked, embedded through the gateway (local model) and stored, several times: pages per minute.
- Scale: 100 000 synthetic chunks are added to the collection next to the real ones. Their texts are
  real sentences of the documents recombined; their vectors are unit vectors around « topics »
  (real chunk embeddings and random directions) with noise, so that neighbourhoods look like those
  of real embeddings. They are written with binary COPY, then the HNSW index is built in bulk.
- Latency: the query embedding alone (reference), the hybrid SQL alone, the service's search
  (embedding + SQL + trimming), and the HTTP route in process — p50/p95/p99.
- Recall@10: HNSW (`hnsw.ef_search` as in production) against exact search (index scans off), for
  queries drawn from the corpus's distribution and for the real questions' embeddings.
"""

from __future__ import annotations

import random
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
from pgvector.psycopg import register_vector

from evals.bench.stats import Report, Series, percentile
from server.cli.inprocess import in_process
from server.cli.main import database
from server.gateway.app import GatewayOptions
from server.gateway.embeddings import LocalEmbedder
from server.knowledge import repository
from server.knowledge.embedding import SYSTEM_CALLER
from server.knowledge.seed import COACH_ITEMS, seed_collection
from server.knowledge.service import VECTOR_K
from server.settings import Settings

CHUNKS = 100_000
COLLECTION = "bench-scale"
INDEX_ROUNDS = 3
WARMUP = 20
ROUNDS = 200
RECALL_QUERIES = 100
QUESTIONS = [
    "Comment est compensé mon temps d'astreinte ?",
    "Combien de jours puis-je placer sur mon compte épargne-temps ?",
    "Quelles quotités de temps partiel sont possibles ?",
    "Le temps de formation est-il du temps de travail ?",
    "Quelles sont les heures de travail de nuit ?",
    "Jusqu'à quand puis-je reporter mes congés annuels ?",
    "Dans quel délai déclarer une intervention d'astreinte ?",
    "Combien est indemnisé un jour de CET ?",
]


def _p95(samples: list[float]) -> float:
    return round(percentile(samples, 95), 3)


async def _indexing(knowledge: Any) -> dict[str, float]:
    pages = chunks = 0
    start = time.perf_counter()
    for round_ in range(INDEX_ROUNDS):
        for document in await seed_collection(knowledge, f"bench-index-{round_}", COACH_ITEMS):
            pages += document.pages
            chunks += document.chunks
    seconds = time.perf_counter() - start
    return {
        "indexing_pages_per_minute": round(pages / seconds * 60, 1),
        "indexing_chunks_per_second": round(chunks / seconds, 1),
        "indexing_pages": pages,
        "indexing_seconds": round(seconds, 2),
    }


def _synthetic_vectors(topics: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    chosen = topics[rng.integers(0, len(topics), count)]
    noise = rng.normal(0, 1, chosen.shape).astype(np.float32) * rng.uniform(0.03, 0.08, (count, 1)).astype(
        np.float32
    )
    vectors = chosen + noise
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def _fill(url: str, sentences: list[str], topics: np.ndarray, rng: np.random.Generator) -> dict[str, float]:
    """COPY the synthetic chunks in, then build the HNSW index in bulk (faster than row by row)."""
    vectors = _synthetic_vectors(topics, CHUNKS, rng)
    pick = random.Random(7)
    with psycopg.connect(url, autocommit=True) as conn:
        register_vector(conn)
        document_id = conn.execute(
            "INSERT INTO knowledge_documents (collection, title, filename, media_type, source, content, "
            "sha256, size_bytes, created_by) VALUES (%s, 'synthétique', 'synthetique.txt', 'text/plain', "
            "'upload', '', '', 0, 'bench') RETURNING id",
            (COLLECTION,),
        ).fetchone()[0]
        conn.execute("DROP INDEX knowledge_chunks_embedding_idx")
        start = time.perf_counter()
        with (
            conn.cursor() as cursor,
            cursor.copy(
                "COPY knowledge_chunks (document_id, collection, ordinal, locator, text, embedding) "
                "FROM STDIN (FORMAT BINARY)"
            ) as copy,
        ):
            copy.set_types(["uuid", "text", "int4", "text", "text", "vector"])
            for ordinal in range(CHUNKS):
                text = " ".join(pick.sample(sentences, 4))
                copy.write_row(
                    (document_id, COLLECTION, ordinal, f"page {ordinal // 4 + 1}", text, vectors[ordinal])
                )
        conn.execute("UPDATE knowledge_documents SET chunks = %s WHERE id = %s", (CHUNKS, document_id))
        conn.execute(repository._ADD_LEXEMES, {"collection": COLLECTION, "document": document_id})
        copied = time.perf_counter() - start
        conn.execute("SET maintenance_work_mem = '1GB'")
        start = time.perf_counter()
        conn.execute(
            "CREATE INDEX knowledge_chunks_embedding_idx ON knowledge_chunks "
            "USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)"
        )
        built = time.perf_counter() - start
        conn.execute("VACUUM ANALYZE knowledge_chunks")
    return {"copy_seconds": round(copied, 1), "hnsw_build_seconds": round(built, 1)}


def _recall(
    url: str, queries: np.ndarray, ef_search: int = repository.EF_SEARCH, scan: str = "relaxed_order"
) -> float:
    """Mean share of the exact top 10 that the HNSW search returns, as the hybrid query uses it.

    The hybrid query takes the index's first `VECTOR_K` rows (iterative scans return them in relaxed
    order), then orders them by distance: the top 10 of that is compared with the exact top 10.
    """
    approximate_sql = (
        "SELECT id FROM (SELECT id, embedding <=> %(q)s AS d FROM knowledge_chunks WHERE collection = %(c)s "
        "ORDER BY embedding <=> %(q)s LIMIT %(k)s) s ORDER BY d LIMIT 10"
    )
    exact_sql = (
        "SELECT id FROM knowledge_chunks WHERE collection = %(c)s ORDER BY embedding <=> %(q)s LIMIT 10"
    )
    hits = 0
    with psycopg.connect(url) as conn:
        register_vector(conn)
        for query in queries:
            with conn.transaction():
                conn.execute(f"SET LOCAL hnsw.ef_search = {ef_search}")
                conn.execute(f"SET LOCAL hnsw.iterative_scan = {scan}")
                params = {"q": query, "c": COLLECTION, "k": VECTOR_K}
                approximate = {row[0] for row in conn.execute(approximate_sql, params)}
            with conn.transaction():
                conn.execute("SET LOCAL enable_indexscan = off")
                exact = {row[0] for row in conn.execute(exact_sql, {"q": query, "c": COLLECTION})}
            hits += len(approximate & exact)
    return round(hits / (10 * len(queries)), 4)


async def _timed(work: Any, rounds: int = ROUNDS) -> list[float]:
    for index in range(WARMUP):
        await work(QUESTIONS[index % len(QUESTIONS)])
    samples = []
    for index in range(rounds):
        start = time.perf_counter()
        await work(QUESTIONS[index % len(QUESTIONS)])
        samples.append((time.perf_counter() - start) * 1000)
    return samples


async def run() -> Report:
    rng = np.random.default_rng(42)
    embedder = LocalEmbedder(threads=1)
    with tempfile.TemporaryDirectory() as folder:
        base = Settings(data_dir=Path(folder), web_dist=Path(folder) / "web", _env_file=None)  # type: ignore[call-arg]
        with database(base) as settings:
            url = settings.database_url.get_secret_value()  # type: ignore[union-attr]
            async with in_process(settings, GatewayOptions(embedder=embedder)) as ariane:
                context = ariane.app.state.context
                knowledge = context.knowledge
                await knowledge.embedder.embed(["préchauffage"], SYSTEM_CALLER)  # load the model first
                notes: dict[str, object] = await _indexing(knowledge)
                real = await seed_collection(knowledge, COLLECTION, COACH_ITEMS)
                with psycopg.connect(url) as conn:
                    register_vector(conn)
                    rows = conn.execute(
                        "SELECT text, embedding FROM knowledge_chunks WHERE collection = %s", (COLLECTION,)
                    ).fetchall()
                sentences = [s for text, _ in rows for s in re.split(r"(?<=[.;:])\s+", text) if len(s) > 40]
                topics = np.vstack(
                    [
                        np.array([vector.to_numpy() for _, vector in rows], dtype=np.float32),
                        _synthetic_vectors(rng.normal(0, 1, (200, 384)).astype(np.float32), 200, rng),
                    ]
                )
                notes |= _fill(url, sentences, topics, rng)
                # A collection is an assistant's: the searches below are those of its users.
                developer = ariane.token_for("sophie.girard@chru-exemple.fr")
                created = await ariane.client.post(
                    "/api/assistants",
                    json={"id": COLLECTION, "name": "Banc d'essai", "tools": ["knowledge"]},
                    headers={"Authorization": f"Bearer {developer}"},
                )
                assert created.status_code == 201, created.text
                token = ariane.token_for("nadia.benali@chru-exemple.fr")
                user = await context.auth.authenticate(token)
                question_vectors = await knowledge.embedder.embed(QUESTIONS, SYSTEM_CALLER)

                async def embed_only(question: str) -> None:
                    await knowledge.embedder.embed([question], SYSTEM_CALLER)

                async def sql_only(question: str) -> None:
                    vector = question_vectors[QUESTIONS.index(question)]
                    await repository.hybrid_search(knowledge.pool, COLLECTION, question, vector, 16, 40)

                async def service(question: str) -> None:
                    await knowledge.search(user, COLLECTION, question, 8)

                headers = {"Authorization": f"Bearer {token}"}

                async def http(question: str) -> None:
                    response = await ariane.client.post(
                        f"/api/knowledge/{COLLECTION}/search",
                        json={"query": question, "top": 8},
                        headers=headers,
                    )
                    assert response.status_code == 200, response.text

                series = [
                    Series("query embedding alone (reference)", await _timed(embed_only)),
                    Series("hybrid SQL alone, 100k chunks", await _timed(sql_only)),
                    Series("search incl. embedding (service)", await _timed(service)),
                    Series("POST …/search (API, in process)", await _timed(http)),
                ]
                synthetic_queries = _synthetic_vectors(topics, RECALL_QUERIES, rng)
                notes["recall_at_10_synthetic_queries"] = _recall(url, synthetic_queries)
                notes["recall_at_10_real_questions"] = _recall(url, question_vectors)
    embedder.close()
    for item in series:
        notes[f"p95_ms {item.name}"] = _p95(item.samples_ms)
    notes |= {
        "chunks_in_collection": CHUNKS + sum(d.chunks for d in real),
        "hnsw": f"m=16, ef_construction=64, ef_search={repository.EF_SEARCH}, iterative_scan=relaxed_order",
        "targets": "p95 search incl. embedding < 20 ms; recall@10 ≥ 0.95",
    }
    return Report(
        benchmark="knowledge",
        description="knowledge indexing and hybrid retrieval (vector + French full text, RRF) at 100k chunks",
        series=series,
        reference="query embedding alone (reference)",
        notes=notes,
    )
