"""The on-disk index: BM25 indexes over jieba tokens and, when the dense channel is on, a Chroma
collection of leaf embeddings.

Layout under `index_dir`:

    manifest.json      written last, atomically; names the data folder and hashes its files
    data-<stamp>/      lexical.bin: the whole lexical state in one marshal file (leaf, item and
                       character-bigram BM25 matrices, indexed texts, leaf and sentence tokens,
                       jieba's dictionary with our words); chroma/ (embedded store, dense only)
    .build.lock        fcntl lock held while building

A process opening the index reads lexical.bin once and tokenises nothing of the corpus again: the
jieba state in it replaces loading jieba's dictionary (see retrieval.normalize). With the dense
channel off (ASSISTANT_DENSE, retrieval.fusion.dense_enabled) nothing is embedded, and opening
imports neither torch, sentence-transformers nor chromadb. An index built with the channel on
also serves it off; one built off is rebuilt when the channel is turned on.

A data folder only counts once a manifest names it, so a build that dies half way leaves
nothing that is ever served. The manifest key hashes the corpus fingerprint, parser version,
embedding model, tokenizer data (dictionary, thesaurus, stopwords) and this module's version;
when any of them changes, or a file no longer matches its hash, the index is rebuilt.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .config import Settings, get_settings
from .corpus import PARSER_VERSION, Corpus, load_corpus
from .types import Clause, UserInputError

INDEX_VERSION = "3"
STATE_FILE = "lexical.bin"  # written and read by retrieval/state.py
MANIFEST = "manifest.json"
LOCK = ".build.lock"

Progress = Callable[[str, float], None]


def _no_progress(message: str, fraction: float) -> None:
    pass


@dataclass(frozen=True)
class IndexedIndex:
    """An opened, verified index: everything a retriever needs in memory."""

    corpus: Corpus
    manifest: dict
    lexical: object  # LexicalIndex over leaves
    items: object  # LexicalIndex over items
    dense: object  # DenseStore, or None with the dense channel off
    embedder: object  # Embedder, or None with the dense channel off
    texts: dict  # leaf id -> indexed text
    bigrams: object = None  # LexicalIndex over character bigrams of the indexed texts
    leaf_tokens: dict | None = None  # leaf id -> tokens of its indexed text
    sentence_tokens: dict | None = None  # leaf id -> tokens of each sentence of its text
    examples: object = None  # ExampleIndex of the example questions (retrieval/examples.py)
    comparison_examples: object = None  # ExampleIndex of the example comparison questions

    @property
    def model_id(self) -> str:
        return self.embedder.model_id if self.embedder is not None else str(self.manifest.get("model", ""))


def indexed_text(corpus: Corpus, clause: Clause) -> str:
    """The leaf's own words for its BM25 index: item title, then text.

    The wider context (document short name, part) goes into the item index and the embedded
    text instead: as leaf tokens, words shared by a whole part (晒经济账·晒党建账) or document
    (四同步清单) drowned the leaf's own words (dev set: item hit@1 0.971 → 0.979 without them).
    """
    return f"{clause.title}｜{clause.text}"


def context_text(corpus: Corpus, clause: Clause) -> str:
    """A clause with its full context: document short name, part, item title, text."""
    doc = corpus.document(clause.doc)
    return f"{doc.short_name}｜{clause.part}｜{clause.title}｜{clause.text}"


def item_text(corpus: Corpus, item: Clause) -> str:
    """What the item index holds for an item: its context and the text of all its sub-items."""
    return context_text(corpus, item)


# ---------------------------------------------------------------- manifest


def expected_manifest(settings: Settings, corpus: Corpus) -> dict:
    from .retrieval.dense import COLLECTION_PREFIX
    from .retrieval.fusion import dense_enabled
    from .retrieval.examples import EXAMPLES_FILE
    from .retrieval.normalize import data_fingerprint

    model = settings.embedding_model.strip()
    parts = {
        "index_version": INDEX_VERSION,
        "corpus_fingerprint": corpus.fingerprint,
        "parser_version": PARSER_VERSION,
        "model": model,
        "tokenizer_data": data_fingerprint(),
        "examples_data": _sha256(EXAMPLES_FILE)[:16] if EXAMPLES_FILE.exists() else "",
    }
    key = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]
    return {**parts, "key": key, "dense": dense_enabled(settings), "chroma_url": settings.chroma_url.strip(),
            "collection": f"{COLLECTION_PREFIX}{key}"}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _hashed_files(data_dir: Path) -> dict[str, str]:
    """Every file of the data folder but the Chroma store (which checks itself: count, open)."""
    return {p.name: _sha256(p) for p in sorted(data_dir.iterdir()) if p.is_file()}


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _read_manifest(index_dir: Path) -> dict | None:
    try:
        m = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"_corrupt": "manifest.json 无法解析"}
    return m if isinstance(m, dict) else {"_corrupt": "manifest.json 不是对象"}


KEY_FIELDS = ("key", "chroma_url", "collection")


def _staleness(manifest: dict | None, expected: dict) -> tuple[str, str]:
    """(state, reason): state is ok | missing | stale | corrupt, reason is Chinese."""
    if manifest is None:
        return "missing", "还没有建立索引"
    if "_corrupt" in manifest:
        return "corrupt", manifest["_corrupt"]
    dense = bool(expected.get("dense"))
    fields = ("corpus_fingerprint", "parser_version", "model", "tokenizer_data", "examples_data", "index_version")
    changed = [k for k in fields + (("chroma_url",) if dense else ()) if manifest.get(k) != expected.get(k)]
    if changed:
        names = {"corpus_fingerprint": "标准原文", "parser_version": "解析程序", "model": "向量模型",
                 "tokenizer_data": "词典/同义词表", "examples_data": "示例问题",
                 "index_version": "索引格式", "chroma_url": "Chroma 服务器地址"}
        return "stale", "以下内容已变化：" + "、".join(names[k] for k in changed)
    if dense and not manifest.get("dense"):
        return "stale", "向量通道已开启（ASSISTANT_DENSE），但索引建立时没有计算条款向量"
    # Without the dense channel the vectors (and where they live) do not matter.
    if any(manifest.get(k) != expected.get(k) for k in (KEY_FIELDS if dense else ("key",))):
        return "stale", "索引清单与当前设置不一致"
    return "ok", ""


# ---------------------------------------------------------------- lock


@contextmanager
def build_lock(index_dir: Path):
    """Exclusive across processes: a second builder waits, then finds the index already built."""
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = index_dir / LOCK
    if lock.is_symlink() or (lock.exists() and not lock.is_file()):
        kind = "符号链接" if lock.is_symlink() else "目录" if lock.is_dir() else "特殊文件"
        raise UserInputError(f"索引锁文件 {LOCK} 不是普通文件（是{kind}），无法加锁建索引；"
                             f"请确认没有正在运行的建索引任务后删除它（索引目录：{index_dir}）。")
    with open(lock, "a+") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


# ---------------------------------------------------------------- build


def _settings(settings: Settings | None) -> Settings:
    return settings or get_settings()


def _index_dir(settings: Settings, write: bool = True) -> Path:
    """The index directory; created and checked writable unless only reading (write=False)."""
    if not str(settings.index_dir).strip():
        raise UserInputError("ASSISTANT_INDEX_DIR 为空：请设置索引目录（如 index/），或取消这个环境变量使用默认目录。")
    p = Path(settings.index_dir).expanduser()
    if not write:
        return p
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserInputError(f"无法创建索引目录 {p}：{e.strerror}。请检查 ASSISTANT_INDEX_DIR。") from None
    if not os.access(p, os.W_OK):
        raise UserInputError(f"索引目录 {p} 不可写。请检查权限或改用 ASSISTANT_INDEX_DIR 指定其他目录。")
    return p


def build_index(settings: Settings | None = None, progress: Progress | None = None,
                corpus: Corpus | None = None) -> dict:
    """Build the index from scratch (under the lock) and return its manifest."""
    from .retrieval.dense import check_model_setting

    settings = _settings(settings)
    check_model_setting(settings)
    index_dir = _index_dir(settings)
    with build_lock(index_dir):
        return _build_guarded(settings, index_dir, progress or _no_progress, corpus)


def _build_guarded(settings: Settings, index_dir: Path, progress: Progress, corpus: Corpus | None) -> dict:
    """_build_locked, leaving no data folder behind: folders of builds that died (kill -9) are
    removed first, and a build that fails removes its own. Runs under the build lock."""
    current = (_read_manifest(index_dir) or {}).get("data_dir")
    _clean_old(index_dir, keep={current})
    before = {p.name for p in index_dir.glob("data-*")}
    try:
        return _build_locked(settings, index_dir, progress, corpus)
    except BaseException:
        for p in index_dir.glob("data-*"):
            if p.name not in before and p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
        raise


def _build_locked(settings: Settings, index_dir: Path, progress: Progress, corpus: Corpus | None) -> dict:
    from .retrieval.examples import load_examples
    from .retrieval.state import build_state

    started = time.perf_counter()
    progress("读取条款", 0.02)
    corpus = corpus or load_corpus(settings.corpus_dir)
    expected = expected_manifest(settings, corpus)
    leaves = corpus.leaves()
    ids = [c.id for c in leaves]
    texts = [indexed_text(corpus, c) for c in leaves]
    items = corpus.items()

    previous = _read_manifest(index_dir) or {}
    # Unique even for two builds in the same second (a rebuild right after a damaged index).
    stamp = f"data-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"
    data_dir = index_dir / stamp
    data_dir.mkdir()

    progress("分词并建立词法索引", 0.08)
    # Examples about leaves this corpus does not have (another ASSISTANT_CORPUS_DIR) are left out.
    known = set(ids)
    examples = [e for e in load_examples() if set(e.leaves) <= known]
    state = build_state(ids, texts, [c.text for c in leaves], [c.id for c in items],
                        [item_text(corpus, c) for c in items], examples)
    with open(data_dir / STATE_FILE, "wb") as f:
        f.write(state)
        f.flush()
        os.fsync(f.fileno())

    client, dim = None, None
    if expected["dense"]:
        progress("加载向量模型", 0.2)
        client, dim = _build_dense(settings, corpus, leaves, data_dir, expected, progress)

    manifest = {
        **expected,
        "data_dir": stamp,
        "leaves": len(ids),
        "items": len(items),
        "dim": dim,
        "files": _hashed_files(data_dir),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "build_seconds": round(time.perf_counter() - started, 2),
    }
    progress("写入索引清单", 0.97)
    _write_atomic(index_dir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    _clean_old(index_dir, keep={stamp, previous.get("data_dir")}, client=client if settings.chroma_url else None,
               keep_collections={expected["collection"], previous.get("collection")})
    progress("索引已就绪", 1.0)
    return manifest


def _build_dense(settings: Settings, corpus: Corpus, leaves: list[Clause], data_dir: Path, expected: dict,
                 progress: Progress):
    """Embed every leaf with its context into the Chroma collection; (client, dimension)."""
    from .retrieval.dense import DenseStore, chroma_client, make_embedder

    ids = [c.id for c in leaves]
    embedder = make_embedder(settings.embedding_model)
    dense_texts = [context_text(corpus, c) for c in leaves]
    vectors = []
    batch = 32
    for start in range(0, len(dense_texts), batch):
        vectors.append(embedder.embed(dense_texts[start: start + batch]))
        progress("计算条款向量", 0.25 + 0.6 * min(1.0, (start + batch) / len(dense_texts)))
    import numpy as np

    embeddings = np.concatenate(vectors)

    progress("写入 Chroma 向量库", 0.88)
    client = chroma_client(data_dir / "chroma", settings.chroma_url.strip())
    store = DenseStore.create(client, expected["collection"], embedder)
    metadatas = [{"doc": c.doc, "item": c.item_id, "label": c.label} for c in leaves]
    store.add(ids, dense_texts, metadatas, embeddings)
    if store.count() != len(ids):
        raise RuntimeError(f"Chroma 写入后条数不符：{store.count()} ≠ {len(ids)}")
    return client, int(embeddings.shape[1])


def _clean_old(index_dir: Path, keep: set, client=None, keep_collections: set = frozenset()) -> None:
    """Remove data folders no manifest names any more (the previous one stays for open readers)."""
    for p in index_dir.glob("data-*"):
        if p.name not in keep and p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
    if client is not None:
        from .retrieval.dense import COLLECTION_PREFIX

        try:
            for col in client.list_collections():
                name = getattr(col, "name", col)
                if name.startswith(COLLECTION_PREFIX) and name not in keep_collections:
                    client.delete_collection(name)
        except Exception:  # cleaning is best effort; a stray collection does no harm
            pass


# ---------------------------------------------------------------- open / ensure / status


def _open(settings: Settings, index_dir: Path, manifest: dict, corpus: Corpus) -> IndexedIndex:
    """Open and verify the index the manifest names; raises on any mismatch or damage.

    The lexical state is read once (its bytes are hashed and loaded from the same read); the
    dense part is opened only when the settings run the dense channel."""
    from .retrieval.fusion import dense_enabled
    from .retrieval.state import load_state

    data_dir = index_dir / str(manifest.get("data_dir", ""))
    if not manifest.get("data_dir") or not data_dir.is_dir():
        raise ValueError(f"清单指向的数据目录不存在：{data_dir.name}")
    files = manifest.get("files") or {}
    if STATE_FILE not in files or set(files) != {p.name for p in data_dir.iterdir() if p.is_file()}:
        raise ValueError("索引文件与清单不一致")
    state_bytes = b""
    for rel, digest in files.items():
        p = data_dir / rel
        if rel == STATE_FILE:
            state_bytes = p.read_bytes() if p.is_file() else b""
            ok = hashlib.sha256(state_bytes).hexdigest() == digest
        else:
            ok = p.is_file() and _sha256(p) == digest
        if not ok:
            raise ValueError(f"索引文件缺失或已损坏：{rel}")
    state = load_state(state_bytes)
    leaf_ids = [c.id for c in corpus.leaves()]
    if state.leaves.ids != leaf_ids:
        raise ValueError("索引中的条款与标准原文不一致")
    parts = dict(corpus=corpus, manifest=manifest, lexical=state.leaves, items=state.items, texts=state.texts,
                 bigrams=state.bigrams, leaf_tokens=state.leaf_tokens, sentence_tokens=state.sentence_tokens,
                 examples=state.examples, comparison_examples=state.comparison_examples)
    if not dense_enabled(settings):
        return IndexedIndex(dense=None, embedder=None, **parts)
    if not manifest.get("dense"):
        raise ValueError("索引中没有条款向量")
    from .retrieval.dense import DenseStore, chroma_client, make_embedder

    embedder = make_embedder(settings.embedding_model)
    client = chroma_client(data_dir / "chroma", settings.chroma_url.strip())
    store = DenseStore.open(client, manifest["collection"], embedder)
    n = store.count()
    if n != len(leaf_ids):
        raise ValueError(f"向量库条数不符：{n} ≠ {len(leaf_ids)}")
    return IndexedIndex(dense=store, embedder=embedder, **parts)


def ensure_index(settings: Settings | None = None, progress: Progress | None = None) -> IndexedIndex:
    """The current index, opened and verified; (re)built first when missing, stale or damaged."""
    from .retrieval.dense import check_model_setting

    settings = _settings(settings)
    progress = progress or _no_progress
    index_dir = _index_dir(settings, write=False)  # an intact index is served from a read-only mount
    corpus = load_corpus(settings.corpus_dir)
    expected = expected_manifest(settings, corpus)  # a bad ASSISTANT_DENSE fails here
    check_model_setting(settings)  # and a bad model setting here, before any build (no model loads)

    def try_open() -> IndexedIndex | None:
        manifest = _read_manifest(index_dir)
        state, _ = _staleness(manifest, expected)
        if state != "ok":
            return None
        try:
            return _open(settings, index_dir, manifest, corpus)
        except UserInputError:
            raise
        except Exception:  # damaged: rebuild rather than serve it
            return None

    progress("检查索引", 0.0)
    opened = try_open()
    if opened is not None:
        progress("索引已就绪", 1.0)
        return opened
    index_dir = _index_dir(settings)  # building: now it must be writable
    with build_lock(index_dir):
        opened = try_open()  # another process may have built it while we waited
        if opened is None:
            _build_guarded(settings, index_dir, progress, corpus)
            opened = _open(settings, index_dir, _read_manifest(index_dir), corpus)
    progress("索引已就绪", 1.0)
    return opened


def index_status(settings: Settings | None = None, verify: bool = True) -> dict:
    """State of the index: ok | missing | stale | corrupt, with the reason and manifest details."""
    settings = _settings(settings)
    index_dir = _index_dir(settings, write=False)  # an empty setting is an error, not "."
    corpus = load_corpus(settings.corpus_dir)
    expected = expected_manifest(settings, corpus)
    manifest = _read_manifest(index_dir) if index_dir.is_dir() else None
    state, reason = _staleness(manifest, expected)
    if state == "ok" and verify:
        try:
            _open(settings, index_dir, manifest, corpus)
        except UserInputError:
            raise
        except Exception as e:
            state, reason = "corrupt", str(e)
    out = {"state": state, "reason": reason, "index_dir": str(index_dir), "model": expected["model"],
           "dense": expected["dense"], "chroma": expected["chroma_url"] or "embedded",
           "expected_key": expected["key"]}
    if manifest and "_corrupt" not in manifest:
        out.update({k: manifest.get(k) for k in ("key", "data_dir", "leaves", "items", "dim", "built_at",
                                                 "build_seconds", "collection")})
        out["built_with_dense"] = bool(manifest.get("dense"))
        out["built_with_model"] = manifest.get("model")
    return out
