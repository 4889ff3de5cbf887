"""What the command line says when the input or the terminal is wrong: always Chinese, always short.

- argparse's own messages (usage, required arguments, invalid choices…) in Chinese;
- any echoed input cut to about 80 printable characters;
- control characters refused in every text option, naming the option;
- a failed write to standard output (disk full, closed pipe, I/O error) reported in Chinese.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys

ECHO_LIMIT = 80

ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值 %(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "不是有效的数值（%(type)s）：%(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值 %r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "one of the arguments %s is required": "参数 %s 必须给出其中之一",
    "unexpected option string: %s": "意外的选项：%s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：参数错误：%(message)s\n",
    "%r is not callable": "%r 不可调用",
    "invalid conflict_resolution value: %r": "无效的 conflict_resolution：%r",
    "cannot merge actions - two groups are named %r": "无法合并：两个参数组都叫 %r",
    "show program's version number and exit": "显示版本并退出",
}
NAMES_ZH = {"question": "问题", "text": "描述", "id": "条款编号"}


def _gettext(message: str) -> str:
    return ARGPARSE_ZH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":
        return "需要 %s 个值"
    return _gettext(singular if n == 1 else plural)


def install_argparse_chinese() -> None:
    """argparse looks its messages up through the module's `_` and `ngettext` at call time."""
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]


def printable(text: str, limit: int = ECHO_LIMIT) -> str:
    """Text fit to echo: control characters escaped, at most `limit` characters."""
    from .questions import shown

    return shown(text, limit)


def short_message(message: str) -> str:
    """An argparse message with every quoted value shortened (a 100 KB model name is not echoed)."""
    message = re.sub(r"'((?:[^'\\]|\\.){%d})(?:[^'\\]|\\.)+'" % (ECHO_LIMIT // 2),
                     lambda m: f"'{m.group(1)}…'", message)
    return printable(message, 4 * ECHO_LIMIT)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def refuse_control_characters(args: argparse.Namespace) -> None:
    """Every text option and argument: a control character is a named error (exit 2)."""
    from .types import UserInputError

    for dest, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, str) and (m := _CONTROL.search(v)):
                name = NAMES_ZH.get(dest, "--" + dest.replace("_", "-"))
                raise UserInputError(f"{name} 中含有控制字符（U+{ord(m.group(0)):04X}），请删除后重试。")


STDOUT_ERRNOS = {errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EPIPE, errno.EDQUOT, errno.EBADF}


def is_stdout_failure(e: BaseException) -> bool:
    return isinstance(e, OSError) and (isinstance(e, BrokenPipeError) or e.errno in STDOUT_ERRNOS)


def quiet_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's final flush of a failed stream
    cannot print an English error."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError):
        pass


def report_stdout_failure(e: OSError) -> int:
    """A Chinese message for a failed write to standard output; exit code 2."""
    reason = {errno.ENOSPC: "磁盘已满", errno.EDQUOT: "超出磁盘配额", errno.EFBIG: "文件过大",
              errno.EPIPE: "接收端已关闭", errno.EIO: "输入输出错误", errno.EBADF: "标准输出已关闭"}
    why = "接收端已关闭" if isinstance(e, BrokenPipeError) else reason.get(e.errno, e.strerror or "写入失败")
    quiet_stdout()
    try:
        print(f"错误：无法写出结果（标准输出写入失败：{why}）。请检查输出目标后重试。", file=sys.stderr)
    except OSError:
        pass
    return 2


_LONG_RUN = re.compile(r"[^\s，。；：、“”‘’（）()]{%d,}" % (ECHO_LIMIT + 1))


def brief(message: object) -> str:
    """A message to print: any run of more than 80 characters without a break (an echoed model
    name, a 5000-digit number) is cut to 80, control characters other than newlines escaped."""
    text = _LONG_RUN.sub(lambda m: m.group(0)[:ECHO_LIMIT] + "…", str(message))
    return "".join(ch if ch == "\n" or ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)
