"""`assistant check`: the handler behind the subcommand (kept here so cli.py stays a thin shell)."""

from __future__ import annotations

import json
import sys

from ..types import UserInputError

EXIT_NOTHING_USABLE = 2


def list_rules_json() -> dict:
    from .rules import PERIOD_WORDS, load_registry

    reg = load_registry()
    return {
        "figures": [{"key": f.key, "label": f.label, "unit": f.unit, "help": f.help} for f in reg.figures],
        "rules": [{
            "id": r.id, "name": r.name, "clauses": list(r.clauses), "requirement": r.requirement,
            "kind": r.kind, "inputs": [i.name for i in r.inputs], "strength": r.strength,
            "period": PERIOD_WORDS.get(r.period) if r.period else None,
        } for r in reg.rules],
        "not_checkable": [{"clause": c, "reason": why} for c, why in reg.not_checkable.items()],
    }


def print_rules_text() -> None:
    data = list_rules_json()
    print(f"规则 {len(data['rules'])} 条：")
    for r in data["rules"]:
        print(f"  {r['id']:<42}{'、'.join(r['clauses']):<10}{r['requirement']}")
    print(f"\n可填写的数据项 {len(data['figures'])} 个（--figures 用英文键）：")
    for f in data["figures"]:
        print(f"  {f['key']:<38}{f['label']}（{f['unit'] or '文字'}）")


def run_check_command(args, print_json, print_json_pretty) -> int:
    from ..service import get_service

    if args.list_rules:
        if args.json:
            print_json_pretty(list_rules_json())
        else:
            print_rules_text()
        return 0
    if args.figures is not None and args.text is not None:
        raise UserInputError("请只给出文本或 --figures 其中一种。")
    if args.figures is not None:
        try:
            figures = json.loads(args.figures)
        except json.JSONDecodeError as e:
            raise UserInputError(f"--figures 不是合法的 JSON（第{e.colno}个字符附近）：{e.msg}。"
                                 f"示例：'{{\"employees\": 1200, \"full_time_party_workers\": 10}}'") from None
        except ValueError:  # an integer literal longer than Python will convert (4300 digits)
            raise UserInputError("--figures 中有位数过多的数字，请核对数值。") from None
        except RecursionError:
            raise UserInputError("--figures 嵌套层数过多，应是一层的 JSON 对象，如 {\"employees\": 1200}。") from None
        if not isinstance(figures, dict) or not figures:
            raise UserInputError("--figures 应是非空的 JSON 对象，如 {\"employees\": 1200}。")
        report = get_service().check(figures=figures, period=args.period)
    elif args.text is not None:
        if args.period:
            raise UserInputError("--period 只与 --figures 一起使用；文本中请直接写明统计期（如“上半年”）。")
        report = get_service().check(text=args.text)
    else:
        raise UserInputError("请给出要核对的文本，或用 --figures 给出数据，或用 --list-rules 查看规则。")
    if args.json:
        print_json(report.to_json())
    else:
        print(report.to_text())
    if not report.ran:
        what = "；".join(e.message.rstrip("。") for e in report.errors) or "没有找到可核对的数字"
        print(f"错误：没有完成任何一项核对。{what}。请写明数据名称和数值，如“职工1200人，专职党务人员10人”；"
              f"可填写的数据项见 assistant check --list-rules。", file=sys.stderr)
        return EXIT_NOTHING_USABLE
    return 0
