"""Parse the two standards into one clause tree with stable IDs.

The parsers read each document's own structure (tab-separated table rows, `1.` sub-items,
①② sub-points, repeated header rows). Anything they do not recognise is an error that names the
file and line: no text is ever dropped silently.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .questions import shown
from .types import Clause, Document, Part, UserInputError

# Bump when parsing changes what the clauses contain: the index manifest hashes it.
PARSER_VERSION = "1"

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
CN_NUMERALS = "一二三四五六七八九十"


class CorpusError(Exception):
    """A document does not have the structure its parser expects."""

    def __init__(self, file: str, line: int, message: str):
        self.file, self.line = file, line
        super().__init__(f"{file}:{line}: {message}")


def hg_label(short: str, item: int, sub: int | None) -> str:
    return f"〔{short} 第{item}条第{sub}款〕" if sub else f"〔{short} 第{item}条〕"


def ss_label(short: str, item: int, sub: int | None) -> str:
    if item == 0:
        return f"〔{short} 总体要求〕"
    return f"〔{short} 第{item}条{CIRCLED[sub - 1]}〕" if sub else f"〔{short} 第{item}条〕"


def split_numbered(text: str) -> list[str] | None:
    """Split `1. aaa 2. bbb` into its sub-items (markers removed), or None if not numbered.

    A marker counts only if it is the next number in sequence and stands at the start or after
    whitespace, so numbers inside the text (2020年, 25个) never split it.
    """
    if not re.match(r"1\.\s", text):
        return None
    starts: list[tuple[int, int]] = []  # (marker start, content start)
    n, pos = 1, 0
    while True:
        m = re.compile(rf"(?:^|(?<=\s)){n}\.\s+").search(text, pos)
        if not m:
            break
        starts.append((m.start(), m.end()))
        n, pos = n + 1, m.end()
    parts = []
    for i, (_, content) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        parts.append(text[content:end].strip())
    return parts


def split_circled(text: str) -> tuple[str, list[str]]:
    """Split `heading。①aaa②bbb` into the text before ① and the circled sub-points, in order."""
    first = text.find(CIRCLED[0])
    if first < 0:
        return text.strip(), []
    head, rest = text[:first], text[first:]
    points, n = [], 0
    while rest:
        assert rest[0] == CIRCLED[n]
        nxt = rest.find(CIRCLED[n + 1]) if n + 1 < len(CIRCLED) else -1
        body = rest[1:] if nxt < 0 else rest[1:nxt]
        points.append(body.strip())
        rest = "" if nxt < 0 else rest[nxt:]
        n += 1
    return head.strip(), points


def parse_hg(text: str, file: str, code: str, short: str) -> tuple[list[Part], list[Clause]]:
    """HG is a four-column table: 项目 | 执行要点 | 执行标准 | 提升效果, header row repeated."""
    parts: list[Part] = []
    clauses: list[Clause] = []
    part: Part | None = None
    expected_item = 1
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("# "):
            continue
        cols = line.split("\t")
        if [c.strip() for c in cols] == ["项目", "执行要点", "执行标准", "提升效果"]:
            continue
        if all(set(c.strip()) <= {"-"} for c in cols):
            continue
        if len(cols) != 4:
            raise CorpusError(file, lineno, f"表格行应有4列，实际为{len(cols)}列")
        part_cell, item_cell, std_cell, effect_cell = (c.strip() for c in cols)
        if part_cell:
            m = re.fullmatch(rf"([{CN_NUMERALS}]+)、(.+)", part_cell)
            if not m:
                raise CorpusError(file, lineno, f"无法识别的项目名称：{part_cell!r}")
            part = Part(code, len(parts) + 1, m.group(2), effect_cell)
            parts.append(part)
        elif effect_cell:
            raise CorpusError(file, lineno, "提升效果只应出现在项目的第一行")
        if part is None:
            raise CorpusError(file, lineno, "执行要点出现在任何项目之前")
        m = re.fullmatch(r"(\d+)\.\s*(.+)", item_cell)
        if not m:
            raise CorpusError(file, lineno, f"无法识别的执行要点：{item_cell!r}")
        item_no, title = int(m.group(1)), m.group(2)
        if item_no != expected_item:
            raise CorpusError(file, lineno, f"执行要点编号应为{expected_item}，实际为{item_no}")
        expected_item += 1
        if not std_cell:
            raise CorpusError(file, lineno, f"第{item_no}条的执行标准为空")
        item_id = f"{code}-{item_no}"
        subs = split_numbered(std_cell)
        children = tuple(f"{item_id}.{i}" for i in range(1, len(subs) + 1)) if subs else ()
        clauses.append(
            Clause(item_id, code, hg_label(short, item_no, None), part.name, title, std_cell,
                   item_no, None, children, lineno)
        )
        for i, sub in enumerate(subs or [], start=1):
            if not sub:
                raise CorpusError(file, lineno, f"第{item_no}条第{i}款为空")
            clauses.append(
                Clause(f"{item_id}.{i}", code, hg_label(short, item_no, i), part.name, title, sub,
                       item_no, i, (), lineno)
            )
    if not clauses:
        raise CorpusError(file, 1, "没有找到任何执行要点")
    return parts, clauses


def parse_ss(text: str, file: str, code: str, short: str) -> tuple[list[Part], list[Clause]]:
    """SS: 总体要求, then two-line category headers (repeated) and `N.标题。①…②…` items."""
    parts: list[Part] = []
    clauses: list[Clause] = []
    part: Part | None = None
    pending_head: str | None = None  # first line of a two-line category header
    expected_item = 1
    lines = text.split("\n")
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if lineno == 1 or re.fullmatch(r"项\s*目|具体指标", line):
            continue  # title and table header
        if line.startswith("总体要求："):
            body = line[len("总体要求："):].strip()
            part = Part(code, 0, "总体要求")
            parts.append(part)
            clauses.append(Clause(f"{code}-0", code, ss_label(short, 0, None), "总体要求",
                                  "总体要求", body, 0, None, (), lineno))
            continue
        m = re.fullmatch(r"(\d+)\.\s*([^。]+)。(.*)", line)
        if m:
            if pending_head is not None:
                raise CorpusError(file, lineno, f"类别标题“{pending_head}”不完整")
            if part is None or part.number == 0:
                raise CorpusError(file, lineno, "条目出现在任何类别之前")
            item_no, title, rest = int(m.group(1)), m.group(2), m.group(3)
            if item_no != expected_item:
                raise CorpusError(file, lineno, f"条目编号应为{expected_item}，实际为{item_no}")
            expected_item += 1
            head, points = split_circled(rest)
            if head or not points:
                raise CorpusError(file, lineno, f"第{item_no}条应以①开始列出具体指标")
            item_id = f"{code}-{item_no}"
            children = tuple(f"{item_id}.{i}" for i in range(1, len(points) + 1))
            clauses.append(Clause(item_id, code, ss_label(short, item_no, None), part.name, title,
                                  rest.strip(), item_no, None, children, lineno))
            for i, p in enumerate(points, start=1):
                if not p:
                    raise CorpusError(file, lineno, f"第{item_no}条{CIRCLED[i - 1]}为空")
                clauses.append(Clause(f"{item_id}.{i}", code, ss_label(short, item_no, i),
                                      part.name, title, p, item_no, i, (), lineno))
            continue
        if re.fullmatch(r"[\u4e00-\u9fff]{2,8}", line):
            if pending_head is None:
                pending_head = line
            else:
                name = f"{pending_head}·{line}"
                pending_head = None
                if part is None or part.name != name:  # a repeated header continues its part
                    if any(p.name == name for p in parts):
                        raise CorpusError(file, lineno, f"类别“{name}”在文中不连续地重复出现")
                    part = Part(code, len(parts), name)
                    parts.append(part)
            continue
        raise CorpusError(file, lineno, f"无法识别的行：{line[:40]!r}")
    if pending_head is not None:
        raise CorpusError(file, len(lines), f"类别标题“{pending_head}”不完整")
    if not clauses:
        raise CorpusError(file, 1, "没有找到任何条目")
    return parts, clauses


PARSERS = {"hg_table": parse_hg, "ss_checklist": parse_ss}


@dataclass(frozen=True)
class Corpus:
    documents: tuple[Document, ...]
    parts: tuple[Part, ...]
    clauses: tuple[Clause, ...]  # document order: each item followed by its sub-items
    sources: dict  # doc code -> full source text
    fingerprint: str  # hash of the source files and parser version

    def __post_init__(self):
        object.__setattr__(self, "_by_id", {c.id: c for c in self.clauses})

    def get(self, clause_id: str) -> Clause | None:
        return self._by_id.get(normalize_id(clause_id))

    def leaves(self, doc: str | None = None) -> list[Clause]:
        return [c for c in self.clauses if c.is_leaf and (doc is None or c.doc == doc)]

    def items(self, doc: str | None = None) -> list[Clause]:
        return [c for c in self.clauses if c.sub_no is None and (doc is None or c.doc == doc)]

    def document(self, code: str) -> Document:
        return next(d for d in self.documents if d.code == code)

    def item_of(self, clause: Clause) -> Clause:
        return self._by_id[clause.item_id]

    def leaves_of(self, clause_id: str) -> list[Clause]:
        """The leaves under an ID: itself if a leaf, else its sub-items."""
        c = self.get(clause_id)
        if c is None:
            return []
        return [c] if c.is_leaf else [self._by_id[i] for i in c.children]

    def nearest_ids(self, clause_id: str, n: int = 5) -> list[str]:
        ids = [c.id for c in self.clauses]
        return difflib.get_close_matches(normalize_id(clause_id), ids, n=n, cutoff=0.3)

    def require(self, clause_id: str) -> Clause:
        """The clause, or a UserInputError naming the nearest IDs."""
        c = self.get(clause_id)
        if c is None:
            near = self.nearest_ids(clause_id)
            hint = f"，相近的编号：{'、'.join(near)}" if near else ""
            raise UserInputError(f"没有编号为“{shown(clause_id)}”的条款{hint}。编号形如 HG-21.1、SS-2.3、SS-0。")
        return c


def normalize_id(clause_id: str) -> str:
    """`hg-21.1`, ` HG－21．1 ` → `HG-21.1`."""
    s = clause_id.strip().translate(str.maketrans("－—．。", "--..")).upper()
    return re.sub(r"\s+", "", s)


def documents(corpus_dir: str | Path | None = None) -> tuple[Document, ...]:
    """The documents `documents.toml` lists (code, names, file), read without parsing the texts:
    for option lists and messages that name the documents."""
    return _documents(str(Path(corpus_dir or default_corpus_dir()).resolve()))


def read_manifest(corpus_dir: str | Path) -> list[dict]:
    """The entries of `documents.toml`, or a CorpusError naming the file."""
    manifest = Path(corpus_dir) / "documents.toml"
    try:
        meta = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError(str(manifest), 0, "找不到文档清单 documents.toml") from None
    except tomllib.TOMLDecodeError as e:
        raise CorpusError(str(manifest), 0, f"文档清单格式错误：{e}") from None
    return list(meta.get("documents", []))


def _document(entry: dict) -> Document:
    return Document(entry["code"], entry["short_name"], entry["title"], entry["file"], tuple(entry.get("aliases", ())),
                    tuple(entry.get("bare_names", ())), tuple(entry.get("pointed_names", ())))


@lru_cache(maxsize=4)
def _documents(corpus_dir: str) -> tuple[Document, ...]:
    return tuple(_document(d) for d in read_manifest(corpus_dir))


def document_codes() -> tuple[str, ...]:
    return tuple(d.code for d in documents())


def document_names() -> dict[str, str]:
    """code → short name (HG → 河钢标准)."""
    return {d.code: d.short_name for d in documents()}


def documents_in_words() -> str:
    """HG（河钢标准）或 SS（四同步清单）, for messages."""
    parts = [f"{d.code}（{d.short_name}）" for d in documents()]
    return "或".join(["、".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else "".join(parts)


def default_corpus_dir() -> Path:
    from .config import get_settings

    return Path(get_settings().corpus_dir)


def load_corpus(corpus_dir: str | Path | None = None) -> Corpus:
    return _load(str(Path(corpus_dir or default_corpus_dir()).resolve()))


@lru_cache(maxsize=4)
def _load(corpus_dir: str) -> Corpus:
    root = Path(corpus_dir)
    manifest = root / "documents.toml"
    documents, parts, clauses, sources = [], [], [], {}
    digest = hashlib.sha256(PARSER_VERSION.encode())
    for d in read_manifest(root):
        doc = _document(d)
        path = root / doc.file
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise CorpusError(str(path), 0, "文件不存在") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            line = raw[: e.start].count(b"\n") + 1
            raise CorpusError(str(path), line, "不是 UTF-8 编码") from None
        parser = PARSERS.get(d.get("format", ""))
        if parser is None:
            raise CorpusError(str(manifest), 0, f"未知的文档格式：{d.get('format')!r}")
        p, c = parser(text, str(path), doc.code, doc.short_name)
        documents.append(doc)
        parts += p
        clauses += c
        sources[doc.code] = text
        digest.update(doc.code.encode() + b"\0" + raw + b"\0")
    return Corpus(tuple(documents), tuple(parts), tuple(clauses), sources, digest.hexdigest()[:16])
