"""The one numeral reader for clause text and questions: figures as the standards state them.

`FIGURE` finds the figures a requirement is stated in (1%, 0.5%-2%, 56学时, 7-9人, 每月, 半年, 一次);
`cn_to_int` reads a plain Chinese numeral. The checks' figure parser (users' own figures, with
units and validation) builds on these.
"""

from __future__ import annotations

import re

FIGURE = re.compile(
    r"(?<![A-Za-z\d.])\d+(?:\.\d+)?%?(?:-\d+(?:\.\d+)?%?)?(?:学时|个月|次|人|年|个|名|分)?(?![A-Za-z])"
    r"|每(?:半年|季度|年|季|月|周)|半年|[一二两三四五六七八九十]+(?:次|个月|名|人|个)"
)

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
# Any numeral at all, Arabic or Chinese (一年 / 三年 / 两个月 too, which FIGURE does not count as figures)
NUMERAL = re.compile("[\\d半" + "".join(CN_DIGITS) + "".join(CN_UNITS) + "]")


def figures(text: str) -> list[str]:
    return [m.group(0) for m in FIGURE.finditer(text)]


def cn_to_int(s: str) -> int | None:
    """`三` → 3, `十二` → 12, `二十五` → 25, `一百` → 100; None when it is not a plain numeral."""
    if not s:
        return None
    if all(ch in CN_DIGITS for ch in s):
        if len(s) == 1:
            return CN_DIGITS[s]
        return int("".join(str(CN_DIGITS[ch]) for ch in s))  # 二〇二〇
    total, current = 0, 0
    for ch in s:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (current or 1) * CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current
