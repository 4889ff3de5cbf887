"""The clause tree: counts, IDs, labels, verbatim texts, and loud failure on broken documents."""

import re
import shutil

import pytest

from assistant.corpus import CorpusError, load_corpus, normalize_id, split_circled, split_numbered


def test_leaf_counts(corpus):
    assert len(corpus.leaves("HG")) == 74
    assert len(corpus.leaves("SS")) == 67
    assert len(corpus.leaves()) == 141


def test_item_counts(corpus):
    assert [c.item_no for c in corpus.items("HG")] == list(range(1, 39))
    assert [c.item_no for c in corpus.items("SS")] == list(range(0, 18))


def test_parts(corpus):
    hg = [p for p in corpus.parts if p.doc == "HG"]
    ss = [p.name for p in corpus.parts if p.doc == "SS"]
    assert len(hg) == 10 and all(p.effect for p in hg)
    assert hg[5].name == "党内组织生活严肃认真"
    assert hg[0].effect.startswith("政治建设放首位")
    assert ss == ["总体要求", "改革同步谋划·重点融合", "干部同步配备·力量融合",
                  "组织同步设置·机构融合", "活动同步开展·发展融合", "晒经济账·晒党建账"]


@pytest.mark.parametrize("cid,label,part,title,text", [
    ("HG-21.1", "〔河钢标准 第21条第1款〕", "党内组织生活严肃认真", "严格落实党支部组织生活要求",
     "认真开展“三会一课”，支委会一般每月召开1次，支部党员大会一般每季召开1次，党小组会一般每月召开1次，"
     "讲党课每季度至少开展1次。鼓励基层开展“微党课”、“情景式党课”等教育活动，提升党课学习效果。"),
    ("HG-22", "〔河钢标准 第22条〕", "党员教育管理规范", "做好基层党组织书记和党务干部培训工作",
     "坚持集中轮训制度，基层党支部书记和党务工作人员每年至少参加1次集团党委或子公司党委举办的集中培训，"
     "建立党组织书记培训电子档案，基层党组织书记每年接受集中学习培训累计时间不少于56学时。"),
    ("HG-9.3", "〔河钢标准 第9条第3款〕", "党的领导全面加强", "推动企业党建工作要求写入公司章程",
     "2020年以后章程修改的企业或单位要留存当地工商修改企业章程备案表（备案表中要注明章程增加党建方面规定内容）。"),
    ("HG-36.1", "〔河钢标准 第36条第1款〕", "全面加强党建工作基本保障", "配齐配强党务工作人员",
     "按照不少于同级部门平均编制足额配齐配强党务工作人员，专职党务人员应当达到单位职工总数的1%以上。"),
    ("SS-2.3", "〔四同步清单 第2条③〕", "改革同步谋划·重点融合", "法人治理结构健全",
     "稳妥推行党委书记、董事长“一肩挑”，逐步推行党委副书记、工会主席“一肩挑”，作为职工董事进入董事会，"
     "纪委书记、监事会主席“一肩挑”；党委成员进入董事会不低于总人数的30%，党委成员与经理层、监事会"
     "“双向进入、交叉任职”有一定比例。"),
    ("SS-12.1", "〔四同步清单 第12条①〕", "组织同步设置·机构融合", "基础保障规范",
     "党建工作经费按不低于上年度企业全年职工工资总额的0.5%-2%标准，纳入企业预算。"),
    ("SS-17.3", "〔四同步清单 第17条③〕", "晒经济账·晒党建账", "改进考核",
     "制定经济和党建工作责任追究办法，与企业领导人员任免、薪酬、奖惩挂钩。"),
])
def test_sample_leaves(corpus, cid, label, part, title, text):
    c = corpus.get(cid)
    assert c is not None and c.is_leaf
    assert (c.label, c.part, c.title, c.text) == (label, part, title, text)


def test_general_requirements_is_ss0(corpus):
    c = corpus.get("SS-0")
    assert c.label == "〔四同步清单 总体要求〕" and c.is_leaf
    assert c.text.startswith("推行党建和改革同步谋划") and c.text.endswith("治理现代化。")


def test_item_with_sub_items(corpus):
    item = corpus.get("HG-21")
    assert not item.is_leaf and item.children == tuple(f"HG-21.{i}" for i in range(1, 6))
    assert item.label == "〔河钢标准 第21条〕"
    assert [c.id for c in corpus.leaves_of("SS-9")] == [f"SS-9.{i}" for i in range(1, 6)]


def test_numbers_inside_text_do_not_split(corpus):
    # HG-10.2 runs on after its sentence without a marker; HG-24.2 mentions 25个 steps.
    assert "完善“双向进入、交叉任职”领导体制" in corpus.get("HG-10.2").text
    assert "25个具体步骤" in corpus.get("HG-24.2").text
    assert corpus.get("HG-10").children == ("HG-10.1", "HG-10.2")


def test_every_leaf_is_verbatim(corpus):
    for c in corpus.leaves():
        assert c.text and c.text == c.text.strip()
        assert c.text in corpus.sources[c.doc], c.id


def test_ids_unique_and_well_formed(corpus):
    ids = [c.id for c in corpus.clauses]
    assert len(ids) == len(set(ids))
    for c in corpus.clauses:
        assert re.fullmatch(r"(HG-[1-9]\d*(\.[1-9]\d*)?|SS-(0|[1-9]\d*(\.[1-9]\d*)?))", c.id), c.id


def test_label_format(corpus):
    for c in corpus.clauses:
        if c.doc == "HG":
            pat = r"〔河钢标准 第\d+条(第\d+款)?〕"
        else:
            pat = r"〔四同步清单 (总体要求|第\d+条[①②③④⑤⑥⑦⑧⑨⑩]?)〕"
        assert re.fullmatch(pat, c.label), c.label


def test_leaves_in_document_order(corpus):
    leaves = corpus.leaves()
    assert [c.id for c in leaves[:4]] == ["HG-1.1", "HG-1.2", "HG-2.1", "HG-2.2"]
    assert leaves[74].id == "SS-0" and leaves[-1].id == "SS-17.3"


@pytest.mark.parametrize("raw,want", [("hg-21.1", "HG-21.1"), (" SS－2．3 ", "SS-2.3"), ("ss-0", "SS-0")])
def test_normalize_id(raw, want):
    assert normalize_id(raw) == want


def test_nearest_ids(corpus):
    assert "HG-21.1" in corpus.nearest_ids("HG-21.9")


@pytest.mark.parametrize("text,want", [
    ("1. a。 2. b 2020年。 3. c", ["a。", "b 2020年。", "c"]),
    ("无编号的一段话，含有 3. 字样", None),
    ("1. 只有一款", ["只有一款"]),
])
def test_split_numbered(text, want):
    assert split_numbered(text) == want


def test_split_circled():
    assert split_circled("①甲。②乙③丙") == ("", ["甲。", "乙", "丙"])


def _broken_copy(tmp_path, root, filename, mutate):
    d = tmp_path / "corpus"
    shutil.copytree(root / "corpus", d)
    p = d / filename
    p.write_text(mutate(p.read_text(encoding="utf-8")), encoding="utf-8")
    return d


@pytest.mark.parametrize("filename,mutate,line,fragment", [
    ("hegang_standard.txt", lambda t: t.replace("\t22. 做好", "\t23. 做好"), 31, "编号应为22"),
    ("hegang_standard.txt", lambda t: t.replace("\t30. 开展党委书记抓基层党建述职评议\t", "\t30. 开展党委书记抓基层党建述职评议 "), 39, "4列"),
    ("hegang_standard.txt", lambda t: t.replace("七、党员教育管理规范", "七 党员教育管理规范"), 31, "项目名称"),
    ("four_sync_checklist.txt", lambda t: t.replace("    9.坚持从严管理。", "    9坚持从严管理。"), 36, "无法识别"),
    ("four_sync_checklist.txt", lambda t: t.replace("14.团结凝聚职工。①", "14.团结凝聚职工。"), 56, "①"),
    ("four_sync_checklist.txt", lambda t: t.replace("\t晒经济账\n", "\t晒经济账\n\t莫名其妙的一行文字，不属于任何结构。\n"), 62, "无法识别"),
])
def test_broken_document_fails_loudly(tmp_path, filename, mutate, line, fragment):
    from tests.conftest import ROOT

    d = _broken_copy(tmp_path, ROOT, filename, mutate)
    with pytest.raises(CorpusError) as e:
        load_corpus(d)
    assert e.value.file.endswith(filename)
    assert e.value.line == line
    assert fragment in str(e.value)


def test_non_utf8_document(tmp_path):
    from tests.conftest import ROOT

    d = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", d)
    p = d / "four_sync_checklist.txt"
    p.write_bytes(p.read_text(encoding="utf-8").encode("gbk"))
    with pytest.raises(CorpusError, match="UTF-8"):
        load_corpus(d)


def test_project_copy_matches_shared_original():
    from tests.conftest import ROOT

    shared = ROOT.parent / "shared" / "corpus"
    if not shared.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout, so there is no original to compare with")
    for name in ("hegang_standard.txt", "four_sync_checklist.txt"):
        assert (ROOT / "corpus" / name).read_bytes() == (shared / name).read_bytes()
