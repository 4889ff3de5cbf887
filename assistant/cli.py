"""The `assistant` command: a thin shell over the library.

Each feature adds its subcommands in an `add_*` function below. Handlers print results (JSON with
--json) and return an exit code; a UserInputError anywhere becomes a Chinese message and exit 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Callable

from .types import UserInputError


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 here too; say it in Chinese first
        self.print_usage(sys.stderr)
        self.exit(2, f"参数错误：{message}\n（用 `{self.prog} --help` 查看用法）\n")


def print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=None))


def print_json_pretty(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


# ---------------------------------------------------------------- corpus


def add_corpus_commands(sub) -> None:
    p = sub.add_parser("corpus", help="浏览条款树")
    csub = p.add_subparsers(dest="corpus_command", required=True)
    lp = csub.add_parser("list", help="按文档顺序列出全部可引用条款（叶子）")
    lp.add_argument("--doc", choices=["HG", "SS"], type=str.upper, help="只列出一份文档")
    lp.add_argument("--json", action="store_true", help="输出 JSON 数组")
    lp.set_defaults(handler=cmd_corpus_list)
    sp = csub.add_parser("show", help="显示一个条款（条或款）")
    sp.add_argument("id", help="条款编号，如 HG-21.1、HG-22、SS-2.3、SS-0")
    sp.add_argument("--json", action="store_true", help="输出 JSON")
    sp.set_defaults(handler=cmd_corpus_show)


def cmd_corpus_list(args) -> int:
    from .corpus import load_corpus

    leaves = load_corpus().leaves(args.doc)
    if args.json:
        print_json_pretty([c.to_json() for c in leaves])
    else:
        for c in leaves:
            print(f"{c.id:<9}{c.label}  {c.text[:60]}{'…' if len(c.text) > 60 else ''}")
        print(f"共 {len(leaves)} 条", file=sys.stderr)
    return 0


def clause_json_with_children(corpus, clause) -> dict:
    d = clause.to_json()
    if clause.children:
        d["children"] = [corpus.get(i).to_json() for i in clause.children]
    return d


def cmd_corpus_show(args) -> int:
    from .corpus import load_corpus

    corpus = load_corpus()
    c = corpus.require(args.id)
    if args.json:
        print_json_pretty(clause_json_with_children(corpus, c))
        return 0
    doc = corpus.document(c.doc)
    print(f"{c.label}  {c.id}")
    print(f"《{doc.title}》 · {c.part} · {c.title}")
    print()
    if c.children:
        for cid in c.children:
            child = corpus.get(cid)
            print(f"{child.label}\n{child.text}\n")
    else:
        print(c.text)
    return 0


# ---------------------------------------------------------------- plan


def add_plan_commands(sub) -> None:
    p = sub.add_parser("plan", help="起草年度或专题工作计划（每项注明依据条款）")
    p.add_argument("--unit", required=True, help="单位类型：党支部、党总支或党委")
    p.add_argument("--year", required=True, help="计划年度，如 2027")
    p.add_argument("--topic", help="专题，如“党员教育培训”；不填则生成年度计划")
    p.add_argument("--profile", help="单位情况，如“职工1200人，党员85人，工资总额8000万元”")
    p.add_argument("--format", default="md", help="输出格式：md、docx 或 json（默认 md）")
    p.add_argument("-o", "--output", required=True, help="输出文件路径")
    p.set_defaults(handler=cmd_plan)


def cmd_plan(args) -> int:
    from .export import check_output_path, write_atomic
    from .plan import build_plan, render_plan, validate_format, validate_unit, validate_year

    # Everything the user typed is checked before any work, so a typo costs nothing.
    validate_unit(args.unit)
    validate_year(args.year)
    fmt = validate_format(args.format)
    out = check_output_path(args.output)
    plan = build_plan(args.unit, int(str(args.year).strip()), topic=args.topic, profile=args.profile)
    write_atomic(out, render_plan(plan, fmt))
    print(f"已生成：{out}（{plan.title}，{len(plan.calendar)}项日程，{len(plan.targets)}项指标，"
          f"引用{len(plan.appendix)}条条款）", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- main

COMMAND_GROUPS: list[Callable] = [add_corpus_commands, add_plan_commands]


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="assistant",
        description="标准助手：回答国企党建标准问题，每条结论都附依据条款。",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ChineseArgumentParser)
    for add in COMMAND_GROUPS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .corpus import CorpusError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args) or 0
    except UserInputError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except CorpusError as e:
        print(f"标准文档无法解析：{e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # no traceback for users; ASSISTANT_DEBUG=1 shows it
        if os.environ.get("ASSISTANT_DEBUG"):
            raise
        print(f"内部错误：{type(e).__name__}: {e}\n（设置 ASSISTANT_DEBUG=1 可查看详细信息）", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
