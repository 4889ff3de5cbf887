"""The fact layer: what the standards state, one reviewed statement at a time.

Each document's facts live in `corpus/facts/<CODE>.toml` (the file `documents.toml` names): subject,
attribute, value in the standards' words, strength word, and the verbatim quote that carries the
value. They are validated when loaded: every leaf has a fact, every quote is verbatim, every value
lies in its quote. Answers lead with facts; the rule registry, quiz and plan read them too.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .types import Fact, Subject

ATTRIBUTES = (
    "requirement", "frequency", "share", "count", "duration", "deadline", "timing", "responsible",
    "participants", "qualification", "members", "procedure", "condition", "consequence", "linkage",
    "goal", "content", "scope",
)
STRENGTHS = ("须", "必须", "应", "应当", "要", "一般", "至少", "不少于", "不低于", "不超过", "原则上", "力争",
             "可", "可以", "不得", "严禁", "逐步", "")
FACT_KEYS = {"leaf", "subject", "attribute", "value", "strength", "quote", "condition", "members"}


class FactError(Exception):
    """A facts file does not follow the schema or does not match the corpus."""

    def __init__(self, file: str, where: str, message: str):
        self.file = file
        super().__init__(f"{file}: {where}: {message}")


@dataclass(frozen=True)
class FactBase:
    facts: tuple[Fact, ...]
    subjects: dict[str, Subject] = field(compare=False)

    def __post_init__(self):
        by_subject: dict[str, list[Fact]] = {}
        by_leaf: dict[str, list[Fact]] = {}
        for f in self.facts:
            by_subject.setdefault(f.subject, []).append(f)
            by_leaf.setdefault(f.leaf, []).append(f)
        object.__setattr__(self, "_by_subject", {k: tuple(v) for k, v in by_subject.items()})
        object.__setattr__(self, "_by_leaf", {k: tuple(v) for k, v in by_leaf.items()})
        names: dict[str, str] = {}
        for s in self.subjects.values():
            for n in s.names:
                names.setdefault(n, s.name)
        for subj in by_subject:
            names.setdefault(subj, subj)
        object.__setattr__(self, "_names", names)
        object.__setattr__(self, "_groups", _same_subjects(set(by_subject), self.subjects))
        pattern = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
        object.__setattr__(self, "_pattern", re.compile(pattern) if names else None)

    def about(self, subject: str) -> tuple[Fact, ...]:
        return self._by_subject.get(subject, ())

    def of_leaf(self, leaf_id: str) -> tuple[Fact, ...]:
        return self._by_leaf.get(leaf_id, ())

    def subject(self, name: str) -> Subject:
        return self.subjects.get(name) or Subject(name)

    def subject_names(self) -> dict[str, str]:
        """Every surface name (the standards' and everyday ones) → its subject."""
        return dict(self._names)

    def find_subjects(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, subject) mentions in text, longest name first."""
        if self._pattern is None:
            return []
        out, pos = [], 0
        while True:
            m = self._pattern.search(text, pos)
            if not m:
                return out
            out.append((m.start(), m.end(), self._names[m.group(0)]))
            pos = m.end()

    def find_compound_subjects(self, text: str, pieces) -> list[str]:
        """Subjects named by several words that a question spreads out (党委研究党建工作 in
        党委多久研究一次党建工作): every word of the name, in order."""
        out = []
        for name, parts in pieces.items():
            if len(parts) < 2 or name in text:
                continue
            pos = 0
            for p in parts:
                i, n = text.find(p, pos), len(p)
                if i < 0 and len(p) >= 3 and p[0] in text:  # 讲党课 in 讲一回党课: a measure between verb and object
                    m = _split_by_measure(p).search(text, pos)
                    i, n = (m.start(), len(m.group(0))) if m else (-1, 0)
                if i < 0:
                    break
                pos = i + n
            else:
                out.append(self._names[name])
        return list(dict.fromkeys(out))

    def related_subjects(self, subject: str) -> tuple[str, ...]:
        """The subject, the subjects that are the same thing under another name (党建工作经费 and
        党组织工作经费, 党委 and 党委（党组）), and those filed under it (党支部 → 支委会 …)."""
        same = self._groups.get(subject, (subject,))
        narrower = [s.name for s in self.subjects.values() if s.broader in same]
        return tuple(dict.fromkeys((subject, *same, *narrower)))


@lru_cache(maxsize=None)
def _split_by_measure(word: str) -> re.Pattern:
    return re.compile(re.escape(word[0]) + r"[一二两三四五六七八九十\d几]?[次回遍趟下个]" + re.escape(word[1:]))


def _same_subjects(used: set[str], subjects: dict[str, Subject]) -> dict[str, tuple[str, ...]]:
    """Groups of subject names that denote one thing: one is the other's alias, or the other with a
    parenthetical (党委（党组）)."""
    names = used | set(subjects)
    parent = {n: n for n in names}

    def find(n):
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    def union(a, b):
        parent[find(a)] = find(b)

    for s in subjects.values():
        for a in s.aliases:
            if a in parent:
                union(s.name, a)
    for n in names:
        base = re.split(r"[（(]", n)[0]
        if base != n and base in parent:
            union(n, base)
    groups: dict[str, list[str]] = {}
    for n in names:
        groups.setdefault(find(n), []).append(n)
    return {n: tuple(sorted(g)) for g in groups.values() for n in g}


def _file_for(corpus_dir: Path, entry: dict) -> Path:
    return corpus_dir / entry.get("facts", f"facts/{entry['code']}.toml")


def load_facts(corpus_dir: str | Path | None = None) -> FactBase:
    from .corpus import default_corpus_dir

    return _load(str(Path(corpus_dir or default_corpus_dir()).resolve()))


@lru_cache(maxsize=4)
def _load(corpus_dir: str) -> FactBase:
    from .corpus import load_corpus, read_manifest

    root = Path(corpus_dir)
    corpus = load_corpus(root)
    facts: list[Fact] = []
    subjects: dict[str, Subject] = {}
    for entry in read_manifest(root):
        path = _file_for(root, entry)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FactError(str(path), "文件", "找不到事实文件") from None
        except tomllib.TOMLDecodeError as e:
            raise FactError(str(path), "文件", f"TOML 格式错误：{e}") from None
        leaves = {c.id: c for c in corpus.leaves() if c.doc == entry["code"]}
        facts += _read_facts(str(path), data.get("fact", []), leaves, entry["code"])
        for name, s in data.get("subjects", {}).items():
            subjects[name] = _merge_subject(subjects.get(name), name, s, str(path))
        missing = sorted(set(leaves) - {f.leaf for f in facts}, key=_natural)
        if missing:
            raise FactError(str(path), "覆盖", f"这些条款没有任何事实：{'、'.join(missing)}")
    return FactBase(tuple(facts), subjects)


def _read_facts(file: str, rows: Iterable[dict], leaves: dict, doc: str) -> list[Fact]:
    out: list[Fact] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=1):
        where = f"第{n}条事实（{row.get('leaf', '?')}）"
        unknown = set(row) - FACT_KEYS
        if unknown:
            raise FactError(file, where, f"未知字段 {sorted(unknown)}")
        for key in ("leaf", "subject", "attribute", "value", "quote"):
            if not isinstance(row.get(key), str) or not row[key].strip():
                raise FactError(file, where, f"缺少字段 {key}")
        leaf = leaves.get(row["leaf"])
        if leaf is None:
            raise FactError(file, where, f"条款 {row['leaf']} 不是本文件的叶子条款")
        if row["attribute"] not in ATTRIBUTES:
            raise FactError(file, where, f"未知属性 {row['attribute']!r}")
        strength = row.get("strength", "")
        if strength not in STRENGTHS:
            raise FactError(file, where, f"未知强度词 {strength!r}")
        quote, value = row["quote"], row["value"]
        start = leaf.text.find(quote)
        if start < 0:
            raise FactError(file, where, f"引文不是条款原文：{quote[:40]}")
        if value not in quote:
            raise FactError(file, where, f"取值“{value}”不在引文中")
        members = tuple(row.get("members", ()))
        if any(m not in quote for m in members):
            raise FactError(file, where, "成员必须是引文中的原文")
        seen[leaf.id] = seen.get(leaf.id, 0) + 1
        out.append(Fact(f"{leaf.id}#{seen[leaf.id]}", leaf.id, doc, row["subject"].strip(), row["attribute"],
                        value, strength, quote, start, row.get("condition", ""), members))
    return out


def _merge_subject(old: Subject | None, name: str, data: dict, file: str) -> Subject:
    if not isinstance(data, dict) or set(data) - {"aliases", "broader"}:
        raise FactError(file, f"主题“{name}”", "只能有 aliases 和 broader 两个字段")
    aliases = tuple(a for a in data.get("aliases", ()) if isinstance(a, str) and a.strip() and a != name)
    broader = data.get("broader", "") or (old.broader if old else "")
    if old:
        aliases = tuple(dict.fromkeys((*old.aliases, *aliases)))
    return Subject(name, aliases, broader)


def _natural(clause_id: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", clause_id)]
