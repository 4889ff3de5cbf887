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
    def error(self, message: str):  # argparse exits 2 here too; say it in Chinese first, briefly
        from .cli_messages import short_message

        self.print_usage(sys.stderr)
        self.exit(2, f"参数错误：{short_message(message)}\n（用 `{self.prog} --help` 查看用法）\n")



def _document_codes() -> list[str] | None:
    """The document codes of corpus/documents.toml, for --doc (a broken manifest: no restriction here,
    the command itself reports it)."""
    from .corpus import CorpusError, document_codes

    try:
        return list(document_codes())
    except (CorpusError, OSError):
        return None

def print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=None))


def print_json_pretty(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


# ---------------------------------------------------------------- corpus


def add_corpus_commands(sub) -> None:
    p = sub.add_parser("corpus", help="浏览条款树")
    csub = p.add_subparsers(dest="corpus_command", required=True)
    lp = csub.add_parser("list", help="按文档顺序列出全部可引用条款（叶子）")
    lp.add_argument("--doc", choices=_document_codes(), type=str.upper, help="只列出一份文档")
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
    p.add_argument("--org", help="单位名称，如“某某公司第一党支部”（写入标题、页眉和落款）")
    p.add_argument("--drafter", help="拟稿人")
    p.add_argument("--date", help="成文日期，如 2027-01-05（默认今天）")
    p.add_argument("--format", help="输出格式：md、docx 或 json（默认按 -o 的扩展名，否则 md）")
    p.add_argument("-o", "--output", help="输出文件路径；不填则打印到屏幕（docx 必须指定文件）")
    p.set_defaults(handler=cmd_plan)


def cmd_plan(args) -> int:
    from .export import check_output_path, write_atomic
    from .plan import validate_date, validate_format, validate_unit, validate_year, with_header
    from .quiz import format_from_path

    # Everything the user typed is checked before any work, so a typo costs nothing.
    validate_unit(args.unit)
    validate_year(args.year)
    suffix = format_from_path(args.output) if args.output and args.output != "-" else None
    fmt = validate_format(args.format or (suffix if suffix in ("md", "docx", "json") else None) or "md")
    validate_date(args.date)
    to_stdout = not args.output or args.output == "-"
    if to_stdout and fmt == "docx":
        raise UserInputError("DOCX 是二进制文件，请用 -o 指定输出文件，如 -o 计划.docx。")
    out = None if to_stdout else check_output_path(args.output)
    from .service import get_service

    svc = get_service()  # with a topic, the service's retriever adds related wording to its clauses
    plan = svc.plan(args.unit, int(str(args.year).strip()), topic=args.topic, profile=args.profile)
    plan = with_header(plan, org=args.org, drafter=args.drafter, date=args.date)
    data = svc.render_plan(plan, fmt)
    for note in plan.notes:  # guidance for the drafter: on the screen, never in the file
        print(f"提示：{note}", file=sys.stderr)
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return 0
    write_atomic(out, data)
    print(f"已生成：{out}（{plan.title}，{len(plan.schedule)}项年度安排，{len(plan.targets)}项目标，"
          f"引用{len(plan.appendix)}条条款）", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- check


def add_check_commands(sub) -> None:
    p = sub.add_parser("check", help="对照标准核对本单位的数字（职工人数、经费、会议次数……）")
    p.add_argument("text", nargs="?", help="含数字的描述，如“职工1200人，专职党务人员10人”")
    p.add_argument("--figures", help='直接给出数据（JSON 对象），如 \'{"employees": 1200}\'')
    p.add_argument("--period", help="--figures 中次数的统计期：今年、上半年、一季度、截至9月底……（默认全年）")
    p.add_argument("--list-rules", action="store_true", help="列出全部规则和可填写的数据项")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=cmd_check)


def cmd_check(args) -> int:
    from .checks.cli_support import run_check_command

    return run_check_command(args, print_json, print_json_pretty)


# ---------------------------------------------------------------- quiz


def add_quiz_commands(sub) -> None:
    p = sub.add_parser("quiz", help="从条款出题（单选、多选、判断、填空），附答案、解析和出处")
    p.add_argument("-n", dest="count", default="20", help="题目数量（默认 20）")
    p.add_argument("--types", default="choice,multi,judge,blank",
                   help="题型，逗号分隔：choice（单选）、multi（多选）、judge（判断）、blank（填空）")
    p.add_argument("--doc", default="all", help="出题范围：HG（河钢标准）、SS（四同步清单）或 all（默认）")
    p.add_argument("--topic", help="主题关键词，如“组织生活”；多个词用逗号分隔")
    p.add_argument("--seed", default="7", help="随机种子（试卷编号，默认 7）：相同种子得到相同试卷")
    p.add_argument("--format", help="输出格式：json、md、docx 或 csv（默认按 -o 的扩展名，否则 md）")
    p.add_argument("-o", "--output", help="输出文件路径；不填则打印到屏幕（docx 必须指定文件）")
    p.set_defaults(handler=cmd_quiz)


def cmd_quiz(args) -> int:
    from .export import check_output_path, write_atomic
    from .quiz import FORMATS, format_from_path, validate_count
    from .service import get_service

    # Check everything the user typed before any work, and never leave a file behind on error.
    count = validate_count(args.count)
    fmt = (args.format or (format_from_path(args.output) if args.output else None) or "md").lower()
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        raise UserInputError(f"未知的输出格式“{args.format}”。可选：json、md、docx、csv。")
    to_stdout = not args.output or args.output == "-"
    if to_stdout and fmt == "docx":
        raise UserInputError("DOCX 是二进制文件，请用 -o 指定输出文件，如 -o 试卷.docx。")
    out = None if to_stdout else check_output_path(args.output)
    svc = get_service()
    quiz = svc.quiz(count, types=args.types, doc=args.doc, topic=args.topic, seed=args.seed)
    data = svc.render_quiz(quiz, fmt)
    if quiz.message:
        print(f"提示：{quiz.message}", file=sys.stderr)
    if out is None:
        sys.stdout.write(data.decode("utf-8-sig"))
        sys.stdout.flush()
    else:
        write_atomic(out, data)
        print(f"已生成：{out}（{len(quiz.items)}道题，含答案及解析）", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- ask


def add_ask_commands(sub) -> None:
    p = sub.add_parser("ask", help="提问：回答并附上依据条款")
    p.add_argument("question", nargs="?", help="问题，如“支委会多久开一次？”")
    p.add_argument("--batch", metavar="FILE", help="批量提问：每行一个问题，或 JSONL 的 {\"q\": …}")
    p.add_argument("--json", action="store_true", help="输出 JSON（批量时每行一个 JSON）")
    p.add_argument("--extractive", action="store_true", help="即使配置了大模型，也只用抽取式回答")
    add_dense_option(p)
    p.set_defaults(handler=cmd_ask)


def _print_answer(answer, as_json: bool, question: str | None = None) -> None:
    if as_json:
        d = answer.to_json()
        print_json({"q": question, **d} if question is not None else d)
        return
    if question is not None:
        print(f"问：{question}")
    if answer.notice:
        print(f"【提示】{answer.notice}")
    print(answer.text)
    print()


def cmd_ask(args) -> int:
    from .questions import read_batch, validate_question
    from .service import get_service

    if (args.question is None) == (args.batch is None):
        raise UserInputError("请给出一个问题，或用 --batch 指定问题文件（二者选一）。")
    llm = False if args.extractive else None
    if args.batch is None:
        validate_question(args.question)  # bad input is reported before any model loads
    if args.dense is not None:  # --dense: a service for these settings instead of the environment's
        from .service import AssistantService

        svc = AssistantService(_retrieval_settings(args))
        get_service = lambda: svc  # noqa: E731
    if args.batch is None:
        _print_answer(get_service().ask(args.question, llm=llm).answer, args.json)
        return 0
    failed = 0
    for n, q in enumerate(read_batch(args.batch), start=1):
        try:
            validate_question(q, f"第{n}个问题")
        except UserInputError as e:  # one bad line is reported in place; the rest still run
            failed += 1
            if args.json:
                print_json({"q": q, "error": str(e)})
            else:
                print(f"错误：{e}\n", file=sys.stderr)
            continue
        _print_answer(get_service().ask(q, llm=llm).answer, args.json, q)
    return 2 if failed else 0


# ---------------------------------------------------------------- index, retrieve, eval, bench


def add_dense_option(p) -> None:
    p.add_argument("--dense", choices=["auto", "on", "off"], type=str.lower,
                   help="向量通道（覆盖 ASSISTANT_DENSE）：auto 只对实测有益的模型开启（默认英文模型为关），on 或 off")


def add_retrieval_commands(sub) -> None:
    p = sub.add_parser("index", help="建立或查看检索索引")
    isub = p.add_subparsers(dest="index_command", required=True)
    bp = isub.add_parser("build", help="重建索引（默认强制重建）")
    bp.add_argument("--if-needed", action="store_true", help="索引完好且是最新的就不重建")
    bp.add_argument("--model", help="向量模型（覆盖 ASSISTANT_EMBEDDING_MODEL）：模型名或本地目录")
    add_dense_option(bp)
    bp.set_defaults(handler=cmd_index_build)
    sp = isub.add_parser("status", help="报告索引状态（ok / missing / stale / corrupt）")
    sp.add_argument("--model", help="按此向量模型判断是否过期")
    add_dense_option(sp)
    sp.add_argument("--json", action="store_true", help="输出 JSON")
    sp.set_defaults(handler=cmd_index_status)

    rp = sub.add_parser("retrieve", help="检索与问题最相关的条款")
    rp.add_argument("question", nargs="?", help="问题，如“支委会多久开一次？”")
    rp.add_argument("-k", type=int, default=5, help="返回条数（默认 5）")
    rp.add_argument("--doc", type=str.upper, choices=_document_codes(), help="只在一份文档中检索")
    rp.add_argument("--batch", metavar="FILE", help="批量：每行一个问题，或 JSONL 的 {\"q\": …}；每行输出一个 JSON")
    rp.add_argument("--json", action="store_true", help="输出 JSON")
    rp.add_argument("--model", help="向量模型（覆盖 ASSISTANT_EMBEDDING_MODEL）")
    add_dense_option(rp)
    rp.set_defaults(handler=cmd_retrieve)

    ep = sub.add_parser("eval", help="评测检索（及其他已登记的部分），最后一行输出 JSON 摘要")
    ep.add_argument("--json", action="store_true", help="明细写到标准错误，标准输出只有一行 JSON")
    ep.add_argument("--model", help="向量模型（覆盖 ASSISTANT_EMBEDDING_MODEL）；无论 --dense 如何，检索一节都测向量通道")
    add_dense_option(ep)
    ep.set_defaults(handler=cmd_eval)

    xp = sub.add_parser("examples", help="示例问题（检索的一个通道）：由 evals/fresh 的开发集生成")
    xsub = xp.add_subparsers(dest="examples_command", required=True)
    xb = xsub.add_parser("build", help="由开发集重新生成 assistant/data/example_questions.jsonl（从不取封存测试集）")
    xb.add_argument("--check", action="store_true", help="只检查文件是否与开发集一致，不写入；不一致时退出码 1")
    xb.set_defaults(handler=cmd_examples_build)

    bp2 = sub.add_parser("bench", help="性能基准：建索引、冷启动、检索延迟、峰值内存")
    bp2.add_argument("--json", action="store_true", help="最后一行输出 JSON")
    bp2.add_argument("--model", help="向量模型（覆盖 ASSISTANT_EMBEDDING_MODEL）")
    add_dense_option(bp2)
    bp2.set_defaults(handler=cmd_bench)


def _retrieval_settings(args):
    from .config import get_settings

    return get_settings(embedding_model=getattr(args, "model", None), dense=getattr(args, "dense", None))


def _stderr_progress(message: str, fraction: float) -> None:
    print(f"[{fraction * 100:5.1f}%] {message}", file=sys.stderr)


def cmd_index_build(args) -> int:
    from .index import build_index, ensure_index, index_status

    settings = _retrieval_settings(args)
    if args.if_needed:
        ensure_index(settings, progress=_stderr_progress)
    else:
        build_index(settings, progress=_stderr_progress)
    st = index_status(settings, verify=False)
    print(f"索引已就绪：{st['leaves']} 条，模型 {st['model']}，向量通道{'开' if st['dense'] else '关（未计算条款向量）'}，"
          f"用时 {st['build_seconds']} 秒，目录 {st['index_dir']}")
    return 0


def cmd_examples_build(args) -> int:
    import json

    from . import evaluation
    from .fresh_eval import example_rows
    from .retrieval.examples import EXAMPLES_FILE

    rows = example_rows(evaluation.EvalContext(settings=_retrieval_settings(args),
                                               evals_dir=evaluation.EVALS_DIR).read_jsonl)
    if not rows:  # an installed copy without evals/: never replace the examples with nothing
        raise UserInputError(f"在 {evaluation.EVALS_DIR / 'fresh'} 中找不到开发集，无法生成示例问题（需要项目源码目录中的 evals/）。")
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    current = EXAMPLES_FILE.read_text(encoding="utf-8") if EXAMPLES_FILE.exists() else ""
    if args.check:
        ok = current == text
        print(f"示例问题{'与开发集一致' if ok else '与开发集不一致，请运行 assistant examples build'}：{len(rows)} 条")
        return 0 if ok else 1
    tmp = EXAMPLES_FILE.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(EXAMPLES_FILE)  # atomic: a reader sees the old file or the new one
    sources = sorted({r["source"] for r in rows}, key=lambda s: (len(s), s))
    print(f"已写入 {len(rows)} 条示例问题（来自 {'、'.join(sources)}）：{EXAMPLES_FILE}；"
          f"下次使用时索引会自动重建")
    return 0


def cmd_index_status(args) -> int:
    from .index import index_status

    st = index_status(_retrieval_settings(args))
    if args.json:
        print_json_pretty(st)
    else:
        names = {"ok": "完好", "missing": "不存在", "stale": "已过期", "corrupt": "已损坏"}
        print(f"状态：{names[st['state']]}（{st['state']}）{('— ' + st['reason']) if st['reason'] else ''}")
        print(f"目录：{st['index_dir']}  向量模型：{st['model']}  向量通道：{'开' if st['dense'] else '关'}"
              + (f"  Chroma：{st['chroma']}" if st["dense"] else ""))
        if st.get("built_at"):
            print(f"建于 {st['built_at']}，{st['leaves']} 条，用时 {st['build_seconds']} 秒")
    return 0 if st["state"] == "ok" else 1


def _hits_json(query: str, hits) -> dict:
    return {"query": query, "hits": [
        {"id": h.clause.id, "doc": h.clause.doc, "label": h.clause.label, "title": h.clause.title,
         "text": h.clause.text, "score": round(h.score, 4)} for h in hits]}


def cmd_retrieve(args) -> int:
    from .questions import read_batch, validate_question
    from .retrieval import validate_k
    from .service import AssistantService

    if (args.question is None) == (args.batch is None):
        raise UserInputError("请给出一个问题，或用 --batch 指定问题文件（二者选一）。")
    validate_k(args.k)
    if args.batch is None:
        q = validate_question(args.question)  # bad input is reported before the index loads
        hits = AssistantService(_retrieval_settings(args)).retrieve(q, k=args.k, doc=args.doc)
        if args.json:
            print_json(_hits_json(q, hits))
        else:
            for h in hits:
                print(f"{h.score:.3f}  {h.clause.id:<8}{h.clause.label}  {h.clause.text[:70]}")
        return 0
    questions = read_batch(args.batch)
    svc = AssistantService(_retrieval_settings(args))
    failed = 0
    for n, q in enumerate(questions, start=1):
        try:
            q = validate_question(q, f"第{n}个问题")
        except UserInputError as e:  # reported in place, in order; the rest still run
            failed += 1
            print_json({"query": q, "error": str(e)})
            continue
        print_json(_hits_json(q, svc.retrieve(q, k=args.k, doc=args.doc)))
    return 2 if failed else 0


def cmd_eval(args) -> int:
    from .evaluation import run_eval

    def out(line: str) -> None:
        print(line, file=sys.stderr if args.json else sys.stdout, flush=True)

    summary = run_eval(_retrieval_settings(args), out=out)
    print_json(summary)
    return 0


def cmd_bench(args) -> int:
    from .bench import run_bench

    results = run_bench(_retrieval_settings(args))
    if args.json:
        print_json(results)
    return 0


# ---------------------------------------------------------------- serve (HTTP API), mcp


def add_serve_commands(sub) -> None:
    p = sub.add_parser("serve", help="启动 HTTP API（OpenAI 兼容 /v1/chat/completions、REST /api、/docs）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只在本机可访问）")
    p.add_argument("--port", default="8000", help="端口（默认 8000）")
    p.add_argument("--workers", default="1", help="工作进程数（默认 1；每个进程各自加载索引和模型）")
    p.set_defaults(handler=lambda a: __import__("assistant.api.serve", fromlist=["run_server"]).run_server(
        a.host, a.port, a.workers))
    m = sub.add_parser("mcp", help="启动 MCP 服务器（默认 stdio；--http 为 streamable HTTP）")
    m.add_argument("--http", action="store_true", help="用 streamable HTTP（地址 http://HOST:PORT/mcp）")
    m.add_argument("--host", default="127.0.0.1", help="--http 的监听地址（默认 127.0.0.1）")
    m.add_argument("--port", default="8001", help="--http 的端口（默认 8001）")
    m.set_defaults(handler=lambda a: __import__("assistant.mcp_server", fromlist=["run_mcp"]).run_mcp(
        "http" if a.http else "stdio", a.host, a.port))


# ---------------------------------------------------------------- main

COMMAND_GROUPS: list[Callable] = [add_corpus_commands, add_plan_commands, add_ask_commands, add_quiz_commands, add_check_commands, add_retrieval_commands,
                                  add_serve_commands]


def build_parser() -> argparse.ArgumentParser:
    from .cli_messages import install_argparse_chinese

    install_argparse_chinese()  # usage, required arguments, invalid choices… in Chinese
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

    from .cli_messages import brief, is_stdout_failure, quiet_stdout, refuse_control_characters, report_stdout_failure

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        refuse_control_characters(args)
        code = args.handler(args) or 0
        sys.stdout.flush()  # a full disk or closed pipe shows here, not at interpreter exit
        return code
    except UserInputError as e:
        print(f"错误：{brief(e)}", file=sys.stderr)
        return 2
    except CorpusError as e:
        print(f"标准文档无法解析：{brief(e)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `assistant … | head`: the reader has what it wanted
        quiet_stdout()
        return 0
    except Exception as e:  # no traceback for users; ASSISTANT_DEBUG=1 shows it
        if os.environ.get("ASSISTANT_DEBUG"):
            raise
        if is_stdout_failure(e):  # disk full, I/O error: in Chinese, exit 2
            return report_stdout_failure(e)
        print(f"内部错误：{type(e).__name__}: {brief(e)}\n（设置 ASSISTANT_DEBUG=1 可查看详细信息）", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
