"""Validation of what users type, shared by the CLI, the library and the app.

Every rejection is a UserInputError with a Chinese message that names what is wrong.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from .types import UserInputError

MAX_QUESTION_CHARS = 2000
MAX_BATCH_BYTES = 5_000_000


def shown(value: object, limit: int = 30) -> str:
    """A user's input echoed inside a message: printable and short, however long or odd the input."""
    try:
        text = value if isinstance(value, str) else repr(value)
    except ValueError:  # int too long to print
        text = "位数过多的数字"
    cut = len(text) > limit
    text = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text[:limit])
    return text + "…" if cut else text


def _is_meaningful(ch: str) -> bool:
    """Letters and digits (CJK included) carry meaning; punctuation, symbols, emoji do not."""
    return unicodedata.category(ch)[0] in ("L", "N")


def validate_question(q: object, what: str = "问题") -> str:
    """Return the question stripped, or raise UserInputError saying what is wrong with it."""
    if q is None or not isinstance(q, str):
        raise UserInputError(f"{what}必须是文本。")
    if not q.strip():
        raise UserInputError(f"{what}为空，请输入要查询的内容。")
    if len(q) > MAX_QUESTION_CHARS:
        raise UserInputError(
            f"{what}过长（{len(q)}字），请控制在{MAX_QUESTION_CHARS}字以内，或拆成几个问题分别提问。"
        )
    bad = [ch for ch in q if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") and ch not in "\n\t\r"]
    if bad:
        raise UserInputError(f"{what}中含有控制字符（如 U+{ord(bad[0]):04X}），请删除后重试。")
    if not any(_is_meaningful(ch) for ch in q):
        raise UserInputError(f"{what}只有标点、符号或表情，没有可查询的文字。")
    return q.strip()


def read_batch(path: str | Path) -> list[str]:
    """One question per line, or JSONL objects with a "q" field. Blank lines are skipped.

    Each question is returned as written; validate each with validate_question so that one bad
    line is reported in place rather than failing the whole batch.
    """
    p = Path(path)
    try:
        # Opening a FIFO with no writer blocks for ever, and a device never ends: regular files only.
        if p.exists() and not p.is_file() and not p.is_dir():
            raise UserInputError(f"批量文件不是普通文件（设备、管道或套接字）：{shown(str(p), 80)}。请先把问题保存到文件中。")
    except OSError as e:
        raise UserInputError(f"无法读取批量文件 {shown(str(p), 80)}：{e.strerror or e}") from None
    try:
        with p.open("rb") as f:  # bounded read: /dev/zero or a runaway file must not fill memory
            raw = f.read(MAX_BATCH_BYTES + 1)
    except FileNotFoundError:
        raise UserInputError(f"批量文件不存在：{shown(str(p), 80)}") from None
    except IsADirectoryError:
        raise UserInputError(f"批量文件是一个目录：{shown(str(p), 80)}") from None
    except OSError as e:
        raise UserInputError(f"无法读取批量文件 {shown(str(p), 80)}：{e.strerror}") from None
    if len(raw) > MAX_BATCH_BYTES:
        raise UserInputError(f"批量文件过大（超过{MAX_BATCH_BYTES}字节的上限），请拆成几个文件。")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise UserInputError(f"批量文件 {shown(str(p), 80)} 不是 UTF-8 编码（第{line}行），请另存为 UTF-8 后重试。") from None
    out: list[str] = []
    # Only real line breaks count (splitlines also breaks at U+2028, U+0085…, shifting line numbers).
    for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if not line.strip():
            continue
        s = line.strip()
        if s.startswith("{"):
            try:
                obj = json.loads(s)
            except (ValueError, RecursionError):  # JSONDecodeError, a 5000-digit number, deep nesting
                raise UserInputError(f"批量文件第{n}行不是合法的 JSON。") from None
            if not isinstance(obj, dict) or not isinstance(obj.get("q"), str):
                raise UserInputError(f"批量文件第{n}行缺少文本字段 \"q\"。")
            out.append(obj["q"])
        else:
            out.append(line)
    if not out:
        raise UserInputError(f"批量文件 {shown(str(p), 80)} 中没有问题。")
    return out
