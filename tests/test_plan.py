"""Work plans: complete with respect to the registry, every citation true, the same content in every
format, and bad input refused before anything is written."""

import io
import json
import re

import pytest
from docx import Document

from assistant.checks.rules import load_registry, load_rules
from assistant.cli import main
from assistant.plan import (
    BLANK,
    UNIT_TYPES,
    Duty,
    TopicWords,
    build_plan,
    calendar_entries,
    with_header,
    compute_target,
    load_calendar,
    parse_profile,
    render_plan,
    rule_applies,
    select_topic_leaves,
    sentence_actor,
    sentence_timing,
    split_sentences,
)
from assistant.types import Citation, UserInputError

PROFILE = {"employees": 1200, "payroll": 80_000_000}


@pytest.fixture(scope="module")
def plans():
    return {u: build_plan(u, 2027, profile=PROFILE if u == "党委" else None) for u in UNIT_TYPES}


@pytest.fixture(scope="module")
def topic_plan():
    return build_plan("党支部", 2027, topic="党员教育培训")


# ---------------------------------------------------------------- data files


def test_calendar_duties_quote_their_leaf_verbatim(corpus):
    duties, words = load_calendar()
    assert duties and words.timing and words.actors
    rule_ids = {r.id for r in load_rules()}
    for d in duties:
        leaf = corpus.get(d.clauses[0])
        assert leaf is not None and leaf.is_leaf, d.id
        assert d.quote in leaf.text, d.id
        assert all(corpus.get(c) is not None for c in d.clauses), d.id
        if d.rule:  # a timing overlay names a rule that exists and stands on the same leaf
            assert d.rule in rule_ids, d.id
            rule = next(r for r in load_rules() if r.id == d.rule)
            assert rule.period and d.clauses[0] in rule.clauses, d.id


def test_standalone_duties_are_not_registry_rules():
    """A duty with no rule link must not repeat a registry rule (it would show twice)."""
    quotes = {r.quote for r in load_rules()}
    for d in load_calendar()[0]:
        if not d.rule:
            assert d.quote not in quotes, d.id


# ---------------------------------------------------------------- completeness


@pytest.mark.parametrize("unit", UNIT_TYPES)
def test_every_applicable_rule_appears(plans, unit, corpus):
    plan = plans[unit]
    applicable = [r for r in load_rules() if rule_applies(r, unit)]
    assert applicable
    target_rules = {t.rule for t in plan.targets}
    for r in applicable:
        assert r.id in target_rules, r.id
        if r.kind == "frequency" and r.period:  # recurring: on the calendar too, as often as required
            slots = [e.slot for e in plan.calendar if e.rule == r.id]
            assert len(slots) >= {"month": 12, "quarter": 4, "half_year": 2, "year": 1}[r.period], r.id
    not_applicable = {r.id for r in load_rules()} - {r.id for r in applicable}
    assert not target_rules & not_applicable


@pytest.mark.parametrize("unit", UNIT_TYPES)
def test_every_citation_is_true(plans, unit, corpus):
    plan = plans[unit]
    cites = [c for e in plan.calendar for c in e.citations] + [c for t in plan.targets for c in t.citations]
    cites += [t.citation for g in (*plan.tasks, *plan.safeguards) for t in g.tasks]
    cites += [c for r in plan.schedule for c in r.citations]
    cites += [Citation(c.id, c.label, c.text) for c in plan.guiding]
    assert cites
    for c in cites:
        leaf = corpus.get(c.id)
        assert leaf is not None and leaf.is_leaf
        assert c.label == leaf.label
        assert c.quote in leaf.text, (c.id, c.quote)
    assert set(plan.cited_ids()) == {c.id for c in cites}


def test_branch_calendar_has_the_three_meetings_one_lesson(plans):
    cal = plans["党支部"].calendar
    monthly = {e.activity for e in cal if e.slot == "5"}
    assert {"支委会", "党小组会", "主题党日"} <= monthly
    q3 = {e.activity for e in cal if e.slot == "Q3"}
    assert {"党员大会", "党课", "形势任务教育"} <= q3
    q4 = {e.activity for e in cal if e.slot == "Q4"}
    assert {"组织生活会", "民主评议党员"} <= q4  # the standard places them in Q4
    jan = {e.activity for e in cal if e.slot == "1"}
    assert "向上级报告党建工作" in jan  # 每年年初
    theme_day = next(e for e in cal if e.activity == "主题党日")
    assert BLANK in theme_day.arrangement  # 相对固定一天: the day itself is the unit's choice


def test_committee_calendar(plans):
    cal = plans["党委"].calendar
    acts = {e.activity for e in cal}
    assert {"民主生活会", "述职述廉", "党风廉政专题研究"} <= acts
    assert {e.activity for e in cal if e.slot == "1"} >= {"述职述廉"}
    integrity = [e for e in cal if e.activity == "党风廉政专题研究"]
    assert {c.id for e in integrity for c in e.citations} == {"HG-31", "SS-1.3"}  # both documents


# ---------------------------------------------------------------- arithmetic


def test_targets_show_the_arithmetic(plans):
    by_rule = {t.rule: t for t in plans["党委"].targets}
    hg = by_rule["party_funds_ratio_hg"]
    assert "8000万元 × 1% = 80万元" in hg.calculation
    ss = by_rule["party_funds_ratio_ss"]
    assert "40万元" in ss.result and "160万元" in ss.result
    assert "不同" in hg.note and "第12条①" in hg.note  # the two documents side by side
    staff = by_rule["full_time_party_worker_ratio"]
    assert "1200人 × 1% = 12人" in staff.calculation and "12人" in staff.result


class R:  # a registry rule with only the fields compute_target reads
    def __init__(self, **kw):
        from assistant.checks.rules import RuleInput

        self.__dict__.update(dict(period=None, target_max=None, exception=None, choices=None,
                                  strength="以上", activity=None), **kw)
        self.inputs = tuple(RuleInput(n, label, unit) for n, label, unit in kw.get("inputs", ()))
        self.input_names = tuple(i.name for i in self.inputs)
        self.strict = self.strength not in ("一般", "原则上", "力争")


@pytest.mark.parametrize("employees,expected,rounded", [
    (1200, "不少于12人", False),
    (1250, "不少于13人", True),   # 12.5 people: round up, and say so
    (50, "不少于1人", True),
])
def test_ratio_of_people_rounds_up(employees, expected, rounded):
    from assistant.plan import ProfileFigure

    rule = R(kind="ratio_min", op=">=", target=1, unit="%",
             inputs=[("full_time_party_workers", "专职党务人员", "人"), ("employees", "职工人数", "人")])
    calc, result, note = compute_target(rule, {"employees": ProfileFigure("employees", "职工人数", employees, "人")})
    assert expected in result
    assert ("向上取整" in note) == rounded


def test_target_without_profile_is_a_blank():
    rule = R(kind="amount_ratio", op=">=", target=1, unit="%",
             inputs=[("party_funds", "党建工作经费", "元"), ("payroll", "工资总额", "元")])
    calc, result, note = compute_target(rule, {})
    assert calc == "" and BLANK in result and "工资总额" in result


def test_frequency_target_counts_the_year():
    rule = R(kind="frequency", op=">=", target=2, unit="次", period="quarter")
    calc, result, _ = compute_target(rule, {})
    assert "× 4个季度 = 8次" in calc and "8次" in result


def test_calendar_from_given_rules_and_duties(corpus):
    rule = R(id="x_monthly", name="支委会召开频次", kind="frequency", op=">=", target=1, unit="次",
             period="quarter", clauses=("HG-21.1",), quote="支部党员大会一般每季召开1次",
             requirement="支部党员大会一般每季召开1次", applies_to=("党支部",), activity="党员大会",
             strength="一般")
    timing = Duty("q2_only", "党员大会", ("HG-21.1",), "支部党员大会一般每季召开1次", "x", ("Q2",), "二季度",
                  ("党支部",), True, rule="x_monthly")
    alone = Duty("visit", "慰问", ("HG-27.1",), "“七一”前夕", "走访慰问", ("6",), "“七一”前夕", ("党委",), False)
    branch = calendar_entries("党支部", [rule], [timing, alone], corpus)
    assert [(e.slot, e.rule, e.duty) for e in branch] == [("Q2", "x_monthly", "q2_only")]
    committee = calendar_entries("党委", [rule], [timing, alone], corpus)
    assert [(e.slot, e.duty) for e in committee] == [("6", "visit")]


# ---------------------------------------------------------------- topic plans


def test_topic_plan_cites_every_measure(topic_plan, corpus):
    tp = topic_plan.topic_plan
    assert tp and tp.measures
    assert "HG-23.2" in {m.citation.id for m in tp.measures}
    for m in tp.measures:
        leaf = corpus.get(m.citation.id)
        assert m.text in leaf.text and m.citation.quote == m.text
        assert m.timing == BLANK or m.timing.split("（")[0].split("、")[0] in m.text
        assert m.responsible == BLANK or m.responsible in m.text
    assert any(g.citation is None and BLANK in g.text for g in tp.goals)  # the unit's own goal
    assert {m.citation.id for m in tp.measures} <= set(topic_plan.cited_ids())


def test_topic_not_in_the_standards_is_refused():
    with pytest.raises(UserInputError, match="没有与“量子计算”直接相关"):
        build_plan("党委", 2027, topic="量子计算")


@pytest.mark.parametrize("topic,expected", [
    ("三会一课", {"HG-21.1"}),
    ("党风廉政建设", {"HG-31"}),
    ("党建工作经费", {"HG-37.1", "SS-12.1"}),
])
def test_topic_leaf_selection(corpus, topic, expected):
    ids = {c.id for c in select_topic_leaves(topic, corpus.leaves())}
    assert expected <= ids
    assert len(ids) <= 10


WORDS = TopicWords(("每年", "每季度", "前夕", "期间"), ("定期",), ("党委班子", "党委", "党支部"))


@pytest.mark.parametrize("sentence,timing,actor", [
    ("党委班子每年至少研究2次党风廉政建设工作", "每年", "党委班子"),
    ("利用“两节”期间、“七一”前夕等重要时间节点走访慰问", "“两节”期间、“七一”前夕", BLANK),
    ("建立完善台账，定期走访慰问", f"定期（具体时间{BLANK}）", BLANK),
    ("党支部开展活动", BLANK, "党支部"),
])
def test_timing_and_actor_come_from_the_sentence(sentence, timing, actor):
    assert sentence_timing(sentence, WORDS) == timing
    assert sentence_actor(sentence, WORDS) == actor


def test_split_sentences_is_verbatim():
    text = "第一句话在此。第二句；第三句话。"
    parts = split_sentences(text)
    assert parts == ["第一句话在此", "第二句", "第三句话"]
    assert all(p in text for p in parts)


# ---------------------------------------------------------------- formats


def docx_text(doc) -> tuple[list[str], list]:
    return [p.text for p in doc.paragraphs], doc.tables


FILED_HEADINGS = ("一、指导思想", "二、工作目标", "三、主要任务", "四、保障措施")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize("unit", ["党支部", "党委"])
def test_docx_is_a_filed_work_plan(plans, corpus, unit):
    """The four sections and the annex, the unit's name, no drafting notes, each recurring duty
    once with its months, A4 in the house fonts with page numbers."""
    plan = with_header(plans[unit], org="某某公司第一党支部" if unit == "党支部" else "某某公司党委",
                       drafter="张三", date="2027-01-05")
    assert plan.title.startswith(plan.org) and plan.date == "2027年1月5日"
    doc = Document(io.BytesIO(render_plan(plan, "docx")))
    paragraphs = list(doc.paragraphs)
    body = "\n".join(p.text for p in paragraphs)
    headings = [p.text for p in paragraphs if p.style.name.startswith("Heading")]
    assert [h for h in headings if h in FILED_HEADINGS] == list(FILED_HEADINGS)
    assert "年度工作安排表" in headings and "依据条款原文" in headings
    assert paragraphs[0].text == plan.title and paragraphs[0].style.name == "Title"
    # guiding idea quotes the standards' own 总体要求
    general = corpus.get("SS-0")
    guide = body[body.index("一、指导思想"):body.index("二、工作目标")]
    assert general.text.rstrip("。") in guide and general.label in guide
    # main tasks grouped by theme, each measure with its clause label
    tasks = body[body.index("三、主要任务"):body.index("四、保障措施")]
    for group in plan.tasks:
        assert group.theme in tasks
        for t in group.tasks:
            assert t.text.rstrip("。；") in tasks and t.citation.label in tasks
            assert t.citation.quote in corpus.get(t.citation.id).text
    guards = body[body.index("四、保障措施"):body.index("附件：")]
    for word in ("经费", "人员", "阵地"):
        assert f"{word}保障" in guards
    assert corpus.get("HG-37.1").label in guards and corpus.get("HG-38").label in guards
    # drafting guidance stays out; 【请填写】 only where the unit decides
    for note in plan.notes:
        assert note not in body
    assert "说明" not in headings and "请逐项补充" not in body and "生成" not in body
    # the unit's name in the header, the sign-off and the title; the drafter and the date
    header = doc.sections[0].header.paragraphs[0].text
    assert plan.org in header and "2027年度" in header and "2027年1月5日" in header
    assert plan.org in body[body.index("附件："):] and "2027年1月5日" in body and "张三" in body
    # annex: one row per recurring duty
    annex = next(t for t in doc.tables if t.rows[0].cells[1].text == "工作事项")
    activities = [r.cells[1].text for r in annex.rows[1:]]
    rows = [(r.cells[1].text, r.cells[2].text) for r in annex.rows[1:]]
    assert len(rows) == len(set(rows)) == len(plan.schedule)
    monthly = [r for r in annex.rows[1:] if r.cells[2].text.startswith("1—12月")]
    assert monthly and all(len(set(plan_row.citations)) >= 1 for plan_row in plan.schedule)
    if unit == "党支部":
        assert {"支委会", "党小组会", "主题党日"} <= {r.cells[1].text for r in monthly}
        assert "组织生活会" in activities and "党员大会" in activities
    assert len(annex.rows) - 1 < len(plan.calendar)  # folded: the calendar has one entry per month
    # page, fonts, page numbers
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    fonts = {name: doc.styles[name].element.rPr.find(W + "rFonts").get(W + "eastAsia")
             for name in ("Normal", "Heading 1", "Title")}
    assert fonts["Normal"] == "仿宋" and fonts["Heading 1"] == "黑体" and "小标宋" in fonts["Title"]
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "fldChar" in footer_xml
    # every cited leaf quoted in full in 附件2
    appendix = body[body.rindex("依据条款原文"):]
    for cid in plan.cited_ids():
        leaf = corpus.get(cid)
        assert leaf.label in appendix and leaf.text in appendix, cid


def test_without_org_the_unit_name_is_the_one_blank(plans):
    plan = plans["党支部"]
    md = render_plan(with_header(plan, date="2027-01-05"), "md").decode("utf-8")
    sign = md[md.index("附件："):md.index("## 附件1")]
    assert BLANK in sign and "2027年1月5日" in sign
    assert md.startswith("# 党支部2027年度党建工作计划")


@pytest.mark.parametrize("kwargs,message", [
    ({"org": "某某\n党委"}, "控制字符"), ({"org": "长" * 61}, "过长"), ({"date": "明天"}, "成文日期"),
    ({"date": "2027-02-30"}, "成文日期"), ({"drafter": 5}, "拟稿人"),
])
def test_header_fields_are_checked(plans, kwargs, message):
    with pytest.raises(UserInputError, match=message):
        with_header(plans["党支部"], **kwargs)


def test_topic_docx_sections(topic_plan):
    doc = Document(io.BytesIO(render_plan(topic_plan, "docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for name in (*FILED_HEADINGS, "工作安排表", "责任分工表", "依据条款原文"):
        assert name in headings, name
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "党员教育培训" in text[:text.index("二、工作目标")]
    assert any(BLANK in c.text for t in doc.tables for r in t.rows for c in r.cells)


@pytest.mark.parametrize("which", ["annual", "topic"])
def test_markdown_json_docx_carry_the_same_content(plans, topic_plan, which):
    plan = plans["党委"] if which == "annual" else topic_plan
    md = render_plan(plan, "md").decode("utf-8")
    data = json.loads(render_plan(plan, "json"))
    doc = Document(io.BytesIO(render_plan(plan, "docx")))
    docx_all = "\n".join([p.text for p in doc.paragraphs]
                         + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert data["title"] == plan.title and f"# {plan.title}" in md and plan.title in docx_all
    assert [a["id"] for a in data["appendix"]] == plan.cited_ids()
    assert len(data["calendar"]) == len(plan.calendar) and len(data["targets"]) == len(plan.targets)
    for a in data["appendix"]:
        assert a["label"] in md and a["text"] in md and a["text"] in docx_all
    for t in data["targets"]:
        assert t["name"] in md and t["name"] in docx_all
        if t["calculation"]:
            assert t["calculation"] in md and t["calculation"] in docx_all
    assert md.count(BLANK) > 0 and docx_all.count(BLANK) > 0
    if plan.topic_plan:
        for m in data["topic_plan"]["measures"]:
            assert m["text"] in md and m["text"] in docx_all


def test_unknown_format():
    plan = build_plan("党支部", 2027)
    with pytest.raises(UserInputError, match="输出格式"):
        render_plan(plan, "pdf")


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("kwargs,message", [
    (dict(unit="党组", year=2027), "未知的单位类型"),
    (dict(unit="", year=2027), "未知的单位类型"),
    (dict(unit="党委", year=1999), "超出范围"),
    (dict(unit="党委", year=2101), "超出范围"),
    (dict(unit="党委", year="明年"), "不是整数"),
    (dict(unit="党委", year=2027, profile="随便写写"), "无法从"),
    (dict(unit="党委", year=2027, profile={"employees": "很多"}), "不是数字"),
    (dict(unit="党委", year=2027, profile={"bogus": 1}), "未知的指标"),
    (dict(unit="党委", year=2027, profile={"employees": -5}), "不合理"),
    (dict(unit="党委", year=2027, profile=42), "单位情况必须是"),
    (dict(unit="党委", year=2027, topic="   "), "专题为空"),
])
def test_bad_input_is_refused(kwargs, message):
    with pytest.raises(UserInputError, match=message):
        build_plan(**kwargs)


def test_profile_dict_is_read():
    figs = parse_profile({"employees": 1200, "payroll": 8e7}, load_registry())
    assert [(f.key, f.text) for f in figs] == [("employees", "职工人数 1200人"), ("payroll", "工资总额 8000万元")]


ARGS = ["plan", "--unit", "党支部", "--year", "2027", "--format"]


@pytest.mark.parametrize("fmt", ["md", "docx", "json"])
def test_cli_writes_each_format(tmp_path, fmt, capsys):
    out = tmp_path / f"plan.{fmt}"
    assert main(ARGS + [fmt, "-o", str(out)]) == 0
    assert out.stat().st_size > 1000
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temp file left
    assert "已生成" in capsys.readouterr().err


@pytest.mark.parametrize("argv,message", [
    (["plan", "--unit", "支部", "--year", "2027", "-o", "{d}/a.md"], "未知的单位类型"),
    (["plan", "--unit", "党委", "--year", "1800", "-o", "{d}/a.md"], "超出范围"),
    (["plan", "--unit", "党委", "--year", "2027", "--profile", "没有数字", "-o", "{d}/a.md"], "无法从"),
    (["plan", "--unit", "党委", "--year", "2027", "--format", "pdf", "-o", "{d}/a.md"], "输出格式"),
    (["plan", "--unit", "党委", "--year", "2027", "-o", "{d}/missing/a.md"], "输出目录不存在"),
    (["plan", "--unit", "党委", "--year", "2027", "-o", "{d}"], "是一个目录"),
    (["plan", "--unit", "党委", "--year", "2027", "--topic", "量子计算", "-o", "{d}/a.md"], "没有与"),
])
def test_cli_bad_input_exit_2_and_nothing_written(tmp_path, capsys, argv, message):
    argv = [a.replace("{d}", str(tmp_path)) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert list(tmp_path.rglob("*")) == []


def test_cli_unwritable_directory(tmp_path, capsys):
    import os

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as root: permissions do not stop writes here")
        assert main(ARGS + ["md", "-o", str(locked / "a.md")]) == 2
        assert "没有写入权限" in capsys.readouterr().err
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_existing_file_is_replaced_whole(tmp_path):
    out = tmp_path / "plan.md"
    out.write_text("旧内容", encoding="utf-8")
    assert main(ARGS + ["md", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 党支部2027年度党建工作计划") and "旧内容" not in text
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())  # 0644 under the usual 022
    assert re.search(r"〔河钢标准 第21条第1款〕", text)


def test_profile_text_is_read_with_the_figure_extractor(plans):
    plan = build_plan("党委", 2027, profile="职工1200人，党员85人，工资总额8000万元")
    by_rule = {t.rule: t for t in plan.targets}
    assert by_rule["party_funds_ratio_hg"].calculation == plans["党委"].targets[
        [t.rule for t in plans["党委"].targets].index("party_funds_ratio_hg")].calculation
    with pytest.raises(UserInputError, match="职工人数"):
        build_plan("党委", 2027, profile="职工很多人，工资总额8000万元")


def test_topic_pieces_scattered_in_another_phrase_do_not_count(corpus):
    ids = {c.id for c in select_topic_leaves("三会一课", corpus.leaves())}
    assert "SS-16.1" not in ids  # 三会一层运行 shares 三会、会一 but is about governance indicators


def test_cli_output_the_system_refuses(capsys):
    """/proc refuses new files even for root: the message names the path, exit 2, no traceback."""
    assert main(ARGS + ["md", "-o", "/proc/plan_test.md"]) == 2
    err = capsys.readouterr().err
    assert "/proc" in err and ("无法写入" in err or "没有写入权限" in err) and "Traceback" not in err


def test_topic_retriever_hits_add_clauses_worded_differently(corpus):
    from assistant.plan import select_topic_leaves
    from assistant.types import Hit

    leaves = corpus.leaves()
    plain = [c.id for c in select_topic_leaves("党风廉政建设", leaves)]
    assert "SS-1.3" not in plain  # 党风廉洁和反腐败: no shared wording beyond 党风
    hits = [Hit(corpus.get("HG-31"), 0.99), Hit(corpus.get("SS-1.3"), 0.40), Hit(corpus.get("HG-38"), 0.11)]
    with_hits = [c.id for c in select_topic_leaves("党风廉政建设", leaves, hits)]
    assert "SS-1.3" in with_hits and "HG-38" not in with_hits
    assert set(plain) <= set(with_hits)


def _umask() -> int:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_cli_prints_markdown_and_json_without_output(capsys):
    assert main(["plan", "--unit", "党支部", "--year", "2027", "--org", "某某公司第一党支部",
                 "--date", "2027-01-05"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("# 某某公司第一党支部2027年度党建工作计划")
    assert "2027年1月5日" in captured.out and "提示：" in captured.err  # notes on stderr, not in the plan
    assert "请逐项补充" not in captured.out
    assert main(["plan", "--unit", "党委", "--year", "2027", "--format", "json", "--drafter", "李四"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["drafter"] == "李四" and data["tasks"] and data["schedule"] and data["guiding"]


@pytest.mark.parametrize("argv,message", [
    (["--format", "docx"], "DOCX 是二进制文件"),
    (["--date", "2027年13月1日"], "成文日期"),
    (["--org", "a\tb"], "控制字符"),
])
def test_cli_plan_bad_header_or_docx_to_screen(capsys, argv, message):
    assert main(["plan", "--unit", "党支部", "--year", "2027", *argv]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == "" and "Traceback" not in captured.err


def test_cli_docx_with_org(tmp_path, capsys):
    out = tmp_path / "计划.docx"
    assert main(["plan", "--unit", "党委", "--year", "2027", "--org", "某某集团党委", "-o", str(out)]) == 0
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "某某集团党委2027年度党建工作计划"
    assert "某某集团党委" in doc.sections[0].header.paragraphs[0].text
