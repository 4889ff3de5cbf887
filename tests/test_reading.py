"""Reading a question into what it asks (issue 11): subjects, asked attribute, kind, document scope.

Pure: no retriever, no model. The questions are everyday wordings written for this file (none is
taken from evals/). They go through `canonical_wording` first, as the answer pipeline does.
"""

import pytest

from assistant.answer.reading import ask_for, asks, read_question
from assistant.answer.terms import canonical_wording
from assistant.corpus import load_corpus
from assistant.facts import ATTRIBUTES, load_facts


def read(question: str):
    return read_question(canonical_wording(question), load_facts(), load_corpus().documents)


# Each row: question, then the fields that must hold. `subjects` / `displays` are exact tuples;
# `has` must be among the subjects, `not_has` must not; `attribute` "" means no attribute is asked.
CASES = [
    # -- asks added on the fresh rounds (each a form of question, not one question)
    ("一个联合支部最多能拉进来几家单位", dict(attribute="count")),  # a named figure's bound: the figure
    ("结对帮扶的对象数有上限吗", dict(attribute="upper_bound", kind="how_many")),
    ("支委会的会期有没有下限", dict(attribute="lower_bound")),
    ("党员人数上有没有封顶", dict(attribute="headcount")),  # a bound is asked, not the user's own case
    ("职工思想动态分析一年搞一次还是两年搞一次", dict(attribute="frequency")),  # a choice of two rates
    ("党建活动用房的房间大小有讲究吗", dict(attribute="size")),
    ("书记述职报告写几页合适", dict(attribute="extent")),
    ("述职材料字数有要求吗", dict(attribute="extent")),
    ("党员发展对象里青年要占百分之多少", dict(attribute="share")),
    ("书记和总经理的收入最多差多少倍", dict(attribute="share")),
    ("党建考核结果在绩效考核里占多大权重", dict(attribute="share")),  # 占多大 / 权重: a share, however worded
    # a body the case lacks (没设党委的 / 不设董事会的) is its condition, not the subject asked about
    ("没设党委的法人支部，大事谁把关", dict(attribute="responsible", not_has="党组织")),
    ("不设董事会的子公司，党组织书记由谁担任", dict(has="党组织书记", not_has="董事会")),
    ("支部超期了还没换届，会被通报批评吗", dict(has="党组织换届")),  # 还没换届: an act not done is still asked about
    ("这项改革要求哪一年之前完成", dict(attribute="deadline")),
    ("一个支部最多能划出几个党小组", dict(attribute="count")),
    ("党委书记的人选由哪一级党委认定", dict(attribute="approval")),
    ("主题党日方案要报上级审批吗", dict(attribute="approval")),
    ("支部书记有没有岗位津贴", dict(attribute="money")),
    ("民主评议的必经步骤具体有几个方面，标准里写了吗", dict(attribute="count")),
    # -- how often vs how long
    ("咱们支委会大概多久开一次会", dict(attribute="frequency", kind="how_often", specific=True, subjects=("支委会",))),
    # the thesaurus reads 党小组会议 as the standards' 党小组会 before the question is read
    ("党小组会议大概隔多长时间召集一回", dict(attribute="frequency", kind="how_often", subjects=("党小组会",),
                                          displays=("党小组会",))),
    ("党课一年得上几回", dict(attribute="frequency", kind="how_often", subjects=("党课",))),
    ("一堂党课讲多长时间合适", dict(attribute="length", kind="how_many", specific=True, subjects=("党课",))),
    ("主题党日活动一次搞多久", dict(attribute="length", kind="how_many", has="主题党日")),
    # -- share
    ("党建经费在工资总额里占多大比重", dict(attribute="share", kind="how_many", specific=True, has="党组织工作经费",
                                         displays=("党建经费", "工资总额"))),
    ("专职党务人员占全体职工的百分比是多少", dict(attribute="share", subjects=("专职党务人员",))),
    # -- headcount
    ("专职党务人员至少要配几个人", dict(attribute="headcount", kind="how_many", specific=True,
                                     subjects=("专职党务人员",))),
    ("党委委员设多少名", dict(attribute="headcount", subjects=("党委委员",))),
    # -- deadline, also when the standards give it in Chinese numerals (一个月之内, 半年内)
    ("系统管理员的更换时限是怎么规定的", dict(attribute="deadline", kind="when", specific=True)),
    ("系统管理员更换后最迟多久要报上去", dict(attribute="deadline", kind="when", specific=True,
                                           subjects=("系统管理员更换",))),
    ("新来的党组织书记最晚什么时候要参加集中培训", dict(attribute="deadline", kind="when", has="党组织书记")),
    ("系统管理员换人以后几个月内得报备", dict(attribute="deadline", kind="when", has="系统管理员更换")),
    ("系统管理员换了人，多少天之内要报备", dict(attribute="deadline", kind="when")),
    ("新任党组织书记上岗后，多久之内必须去培训", dict(attribute="deadline", kind="when", subjects=("新任党组织书记",))),
    # -- month
    ("述职述廉报告一般几月份交", dict(attribute="month", kind="when", specific=True, subjects=("述职述廉报告",))),
    ("组织生活会通常安排在哪个月", dict(attribute="month", kind="when", subjects=("组织生活会",))),
    # -- who is responsible, and 谁的 (whose) which asks something else
    ("支委会一般由谁主持", dict(attribute="responsible", kind="who", specific=True, subjects=("支委会",))),
    ("党费由哪个部门来收", dict(attribute="responsible", kind="who", has="党费收缴")),
    ("党委书记是谁的第一责任人", dict(attribute="", kind="what", has="党委书记")),
    # -- circumstances: the count or time after them is not what is asked
    ("支部到了什么状况就该考虑分成几个党小组", dict(attribute="condition", kind="condition", specific=False)),
    ("在什么情况下可以不按时换届", dict(attribute="condition", kind="condition")),
    ("多大规模的企业才要设专职副书记", dict(attribute="condition")),
    # -- 哪几年 asks which years, not how long; 还有啥 what else a set holds
    ("这个规划是哪几年的", dict(attribute="timing", kind="when")),
    ("四强里除了政治功能强还有啥", dict(attribute="members", kind="define")),
    ("这项管理对哪些人推行", dict(attribute="participants", kind="who")),
    # -- an indefinite 好几个 / 十几个 is the user's case; the asking word is elsewhere
    ("这事牵扯好几个部门，该谁来牵头", dict(attribute="responsible", kind="who")),
    ("党员基础信息多长时间得过一遍", dict(attribute="frequency", kind="how_often")),
    ("党费老是拖好几个月才收齐，清单对这事怎么说", dict(attribute="")),  # the asker's case, then 怎么说
    ("准备处理几个长期不参加活动的党员，清单是怎么要求的", dict(attribute="")),
    ("这几个词属于哪一类内容", dict(attribute="")),
    ("这样的单位，专门搞宣传的人至少要几个", dict(attribute="headcount")),
    ("述职报告是一年一写还是几年写一次", dict(attribute="frequency", kind="how_often")),
    # -- how many the clause lists (the list answers) and how many are required (a number must)
    ("党建考核的指标一共分了几类", dict(attribute="listed", kind="how_many")),
    ("这项活动包括几个方面", dict(attribute="listed")),
    ("党建章节至少得写几条", dict(attribute="count")),
    # -- approval: who approves; report_to: to whom it is reported (向…上报 answers this, not that)
    ("党组织换届前要报给哪一级审批", dict(attribute="approval", kind="who", specific=True, subjects=("党组织换届",))),
    ("系统管理员人选变了，要向谁报备", dict(attribute="report_to", kind="who", has="系统管理员")),
    ("不合格党员的统计每年报给谁", dict(attribute="report_to", kind="who", specific=True)),
    ("班子成员每年要向谁书面报告履职情况", dict(attribute="report_to", kind="who")),  # words between 向谁 and the verb
    # -- qualification, as a yes/no scenario
    ("我入党刚满两年，能不能当支部书记", dict(attribute="qualification", kind="whether", specific=True,
                                       has="党支部书记")),
    ("党龄不到三年可以当书记吗", dict(attribute="qualification", kind="whether", has="党组织书记",
                                     displays=("书记",))),
    ("想当支部书记得具备什么条件", dict(attribute="qualification", has="党支部书记")),
    # -- members of a named set / what a term means
    ("三会一课到底是哪几种会", dict(attribute="members", kind="define", specific=False, subjects=("三会一课",))),
    ("一岗双责是啥意思", dict(attribute="members", kind="define", subjects=("一岗双责",))),
    ("六有指的是哪些", dict(attribute="members", kind="define", subjects=("六有",))),
    # -- comparing the two documents
    ("河钢标准跟四同步清单在谈心谈话方面有啥区别", dict(kind="compare", docs=("HG", "SS"), subjects=("谈心谈话",))),
    ("两份标准对党建经费的规定不同在哪", dict(kind="compare", docs=(), has="党组织工作经费")),
    ("这两个文件对党课的要求一样吗", dict(kind="compare", subjects=("党课",))),
    ("关于谈心谈话，哪份文件讲得更细", dict(kind="compare", subjects=("谈心谈话",))),
    ("说到党员教育，河钢标准和清单分别怎么安排", dict(kind="compare", docs=("HG", "SS"))),
    ("党建经费这块，河钢和清单讲法有没有出入", dict(kind="compare", docs=("HG", "SS"))),
    # -- figures in a yes/no question are the user's case, not what is asked
    ("我们厂才4名党员，能单独建支部吗", dict(attribute="", kind="whether")),
    ("我们一年开了6次党课，够不够", dict(attribute="", kind="whether", subjects=("党课",))),
    ("党课每次讲了40分钟，时间够吗", dict(attribute="", kind="whether", subjects=("党课",))),
    ("公司有3000名职工，配了10个专职党务人员，达标吗", dict(attribute="", kind="whether",
                                                         subjects=("专职党务人员",))),
    # -- document scope: the document's name narrows, and is no subject
    ("河钢标准里支委会多久开一次", dict(attribute="frequency", docs=("HG",), subjects=("支委会",))),
    ("河钢集团的标准对党课有啥要求", dict(docs=("HG",), subjects=("党课",))),
    ("四同步清单中对党建经费比例怎么规定的", dict(attribute="share", docs=("SS",), has="党组织工作经费")),
    ("四同步清单里谈心谈话多久一次", dict(attribute="frequency", docs=("SS",), subjects=("谈心谈话",))),
    # -- a role word before or after a subject name makes another role
    ("纪委书记的任期是几年", dict(attribute="term", subjects=(), displays=("纪委书记",))),
    ("党小组长一般由谁来当", dict(attribute="responsible", not_has="党小组", displays=("党小组长",))),
    ("团委书记能不能兼任支部委员", dict(not_has="党组织书记")),  # another body's 书记
    ("厂党委书记一届干几年", dict(has="党委书记")),  # the Party's own 委: the role itself
    ("党小组长任期多长", dict(attribute="term", subjects=(), displays=("党小组长",))),
    ("支部书记一届干几年", dict(attribute="term", subjects=("党支部书记",), displays=("支部书记",))),
    ("支部书记最多能连任几次", dict(attribute="term")),  # re-election is the term asked
    # -- where money comes from is not how much
    ("党员活动室装修的钱从哪出", dict(attribute="funding", specific=True)),
    ("这类培训的费用由谁承担", dict(attribute="funding")),
    ("党建经费从哪出", dict(attribute="funding", has="党组织工作经费")),
    ("活动经费要花多少钱", dict(attribute="money")),
    # -- a size asked needs a measure
    ("学习宣传栏做多大尺寸", dict(attribute="size", specific=True)),
    ("党员活动室面积有要求吗", dict(attribute="size")),
    # -- a named set asked by itself: the definition
    ("六有是啥", dict(attribute="members", kind="define")),
    ("四同步分别是什么", dict(attribute="members", kind="define")),
    ("“四个百分百”管哪几件事", dict(attribute="members", kind="define")),
    ("支委会的职责是什么", dict(kind="what")),  # an attribute of a subject, not a set to define
    ("专职副书记进不进董事会", dict(kind="whether")),  # A不A asks whether
    ("入党积极分子优先考虑哪类人群", dict(attribute="participants")),  # the people a measure favours
    ("组织生活会可以开视频会吗", dict(attribute="mode", specific=True)),  # online or in person
    ("成立联合党支部要报集团党委批吗", dict(attribute="approval")),  # 报…批: who approves
    ("清单说的那个一定比例，到底是多少", dict(attribute="share")),  # the last clause only asks the value
    ("我们想直接任免一个处级干部，这样可以吗", dict(attribute="", kind="whether")),  # a yes/no on the scene
    ("党费按工资的多少交", dict(attribute="share")),
    ("四优党员是哪四优", dict(attribute="members", kind="define")),  # 哪 + a count: which members
    ("党课是线上还是线下讲", dict(attribute="mode")),  # a choice between its values still asks it
    ("支部书记是选举还是任命", dict(attribute="selection")),  # a choice between ways a post is filled asks how
    ("职工代表是选出来的还是上面派的", dict(attribute="selection", specific=True)),
    ("台账没建会受到什么处分", dict(attribute="consequence")),
    ("数据上报用什么样的表格", dict(attribute="format")),
    ("数据错了算谁的责任", dict(attribute="responsible")),
    ("评先进要往哪类人身上倾斜", dict(attribute="participants")),  # the people a measure tilts towards
    ("什么样的人能进后备干部库", dict(attribute="participants")),
    ("评上先进有什么物质奖励", dict(attribute="reward")),
    ("团支书是团员选举产生还是上级指定", dict(attribute="selection")),
    ("集中培训要在多长时间里完成", dict(attribute="deadline")),
    ("退休党员归哪个支部管", dict(attribute="responsible")),
    ("总书记的新讲话支部多久学一次", dict(subjects=(), attribute="frequency")),  # 总书记 is no 党组织书记
    ("新当选的副书记多久参加一次培训", dict(has="党组织书记")),  # 副书记 still names a 书记 role
    ("班子成员落实一岗双责的次数有要求吗", dict(attribute="frequency")),  # 次数 asks how often
    ("厂里个别几个支部晚点换届行不行", dict(attribute="", kind="whether")),  # 个别几个 counts nothing asked
    ("警示教育每年办几场", dict(attribute="frequency")),  # events in a year: how often
    ("一个联合支部能管几家单位", dict(attribute="count")),  # 家 counts units
    ("领导干部隔多久去基层讲一次党课", dict(has="领导干部讲党课")),  # a measure between verb and object
    ("清单给的数是多少", dict(attribute="")),  # the figure a document gives is no sum of money
    ("慰问要给多少钱", dict(attribute="money")),
    ("组织生活会通常放在什么时候召开", dict(attribute="timing")),
    ("经理层多长时间要向党组织当面汇报一次", dict(attribute="frequency")),  # a longer verb phrase before 一次
    ("书记轮训的周期定的是多长", dict(attribute="frequency")),
    ("谈心谈话的间隔最长多久", dict(attribute="frequency")),
    ("活动经费要占工资总额几个点", dict(attribute="share")),  # 几个点: percentage points
    ("述职评议结果跟哪些待遇挂钩", dict(attribute="consequence")),
    ("学习怎么跟生产经营挂上钩", dict(attribute="")),  # how to link, not what follows
    ("专职党务人员的数量拿什么做参照", dict(attribute="basis", specific=False)),  # the measure, not the number
    ("党务干部配备以什么为基准", dict(attribute="basis")),
    ("一个党委下设党支部的数量是多少", dict(attribute="count")),
    # two questions in one: the one that asks the attribute names no subject read, so it is no precise ask
    ("支部书记找他谈话吗？改正要给多长时间？", dict(specific=False)),
    ("支委会谁主持？支委会多久开一次？", dict(attribute="frequency", specific=True)),
]


def _case_id(n: int, expected: dict) -> str:
    return f"q{n:02d}-{expected.get('attribute') or expected.get('kind') or 'scope'}"


@pytest.mark.parametrize("question,expected", CASES, ids=[_case_id(n, e) for n, (_, e) in enumerate(CASES, 1)])
def test_reading(question, expected):
    r = read(question)
    got = dict(attribute=r.attribute, kind=r.kind, specific=r.specific, docs=r.docs, subjects=r.subjects,
               displays=r.displays)
    for key, want in expected.items():
        if key == "has":
            assert want in r.subjects, (question, got)
        elif key == "not_has":
            assert want not in r.subjects, (question, got)
        else:
            assert got[key] == want, (question, key, got)


def test_the_reply_word_and_accepted_attributes_come_with_the_ask():
    r = read("党建经费在工资总额里占多大比重")
    assert r.attribute_word == "比例" and r.accepts == ("share",)
    r = read("支委会一般由谁主持")
    assert r.attribute_word == "责任主体" and "responsible" in r.accepts


def test_a_question_about_nothing_known_has_no_subject():
    r = read("年终奖怎么发")
    assert r.subjects == () and r.displays == ()


@pytest.mark.parametrize("value", ["在一个月之内", "在半年内", "3个月内", "十五天以内"])
def test_the_deadline_shape_reads_chinese_and_arabic_numerals(value):
    assert ask_for("deadline").shape.search(value), value


@pytest.mark.parametrize("attribute,value", [
    ("share", "职工工资总额1%"), ("share", "百分之二"), ("frequency", "每季度至少开展1次"),
    ("frequency", "一年两次"), ("frequency", "制定年度计划"), ("month", "每年1月份"), ("month", "十二月"), ("headcount", "配备3名"),
    ("timing", "2020年以后"), ("timing", "及时跟进"), ("timing", "一般安排在第四季度"),  # years, quarters, "at once"
])
def test_value_shapes_match_the_standards_and_everyday_numbers(attribute, value):
    assert ask_for(attribute).shape.search(value), (attribute, value)


@pytest.mark.parametrize("attribute,value", [("count", "引进一批人才"), ("count", "推动一批项目")])
def test_an_indefinite_batch_is_no_count(attribute, value):
    assert not ask_for(attribute).shape.search(value), (attribute, value)


@pytest.mark.parametrize("value,names_who", [
    ("由党委办公室统一协调", True), ("党组织在确定标准、规范程序、参与考察等方面把关到位", True),
    ("工会主席“一肩挑”", True), ("集团党委负责", True),
    ("每年举办一次授牌仪式", False),  # the verb of holding it, and no one who holds it
    ("定期举办培训班，由专人主持", True),
])
def test_who_is_responsible_needs_someone_named_before_the_act(value, names_who):
    assert bool(ask_for("responsible").shape.search(value)) is names_who, value


def test_every_ask_in_the_data_file_is_well_formed():
    seen = set()
    for a in asks():
        assert a.attribute not in seen, f"duplicate ask {a.attribute}"
        seen.add(a.attribute)
        assert a.word and a.patterns
        assert set(a.accepts) <= set(ATTRIBUTES), a.attribute
        assert a.kind and a.kind.isidentifier(), a.attribute
        if a.require_shape:
            assert a.shape is not None, a.attribute


@pytest.mark.parametrize("question,topic_words,gone", [
    ("党课这块，河钢标准和四同步清单的说法有啥不同", ["党课"], ["河钢", "四同步", "清单", "说法"]),
    ("两份文件在谈心谈话上分别怎么规定", ["谈心谈话"], ["文件", "分别"]),
])
def test_a_comparison_is_searched_by_its_topic_without_the_documents_names(question, topic_words, gone):
    from assistant.answer.reading import comparison_topic
    from assistant.corpus import load_corpus

    topic = comparison_topic(question, load_corpus().documents)
    assert all(w in topic for w in topic_words), topic
    assert not any(w in topic for w in gone), topic


@pytest.mark.parametrize("question,compare", [
    ("主题党日的安排两边一致吗", True),            # 两边: both documents
    ("党课频次，一个说每季度一个说每年，两份文件真是这样吗", True),  # 一个说…一个说: the two set side by side
    ("谈心谈话要同时满足河钢和清单，该怎么排", True),  # both named, to be met together
    ("河钢的走访慰问和清单的帮扶机制能合到一起吗", True),
    ("两份文件对党课次数的要求能对上吗", True),
    ("党费收缴，河钢和清单差在哪", True),
    ("两份标准是不是都定的每季度一次", True),
    ("两边对谈心谈话怎么规定的", True),
    ("主题党日每月搞一次，能对上标准吗", False),     # one document, no both
    ("支部两边的党员怎么分小组", False),
    ("两份文件各在哪里提到过党费", True),         # 各 + any verb
    ("两份标准里各级党委每年研究几次党建", False),  # 各级 is no comparison
    ("党费收缴，两个文件的写法比一比", True),
    ("谈心谈话的次数，两份标准放一起看看", True),
    ("书记任职条件，河钢标准和清单谁定得更硬", True),
    ("河钢那份跟清单在党课上有啥不一样", True),    # 河钢那份 + 跟 + the bare name
    ("河钢定的学时和清单定的次数能对上吗", True),    # the bare name after 和, 河钢 named before it
    ("党课这块，河钢和四同步分别怎么要求", True),    # 四同步 beside 河钢 names the document
    ("四同步和四融合分别是什么", False),             # no other document named: 四同步 is the set
    ("党费收缴，河钢和清单的说法打不打架", True),     # both named, asked whether they clash
    ("河钢讲帮扶，清单讲关爱，两边有交叉吗", True),
    ("河钢和清单给的经费比例，谁定得更宽", True),
    ("河钢标准里交叉任职怎么要求", False),           # 交叉任职 is a term, and one document
    ("清单里哪项要求更细", False),                 # one document
    ("党费标准两份文件怎么并着用", True),           # what is done with both at once
    ("学时要求两边叠起来一年要多少", True),
    ("两个文件对书记培训的要求能互相补上吗", True),
    ("党委和团委这两年都不太重视群团工作，清单怎么要求", False),  # 这两年 names no documents
    ("按河钢和四同步清单，我们的参股公司要不要建党组织", True),  # both named: both are asked, no comparing words
    ("党委副书记兼了工会主席，能拿两份岗位工资吗", False),  # 两份 without anything asked of both documents
])
def test_comparisons_are_recognised_in_everyday_words(question, compare):
    from assistant.answer.reading import is_comparison

    assert is_comparison(question, load_corpus().documents) is compare


@pytest.mark.parametrize("question", ["评先看的是资历还是实绩", "谈话是支委去谈还是书记去谈"])
def test_asking_words_inside_the_choices_ask_which_choice_not_the_attribute(question):
    r = read_question(canonical_wording(question), load_facts(), load_corpus().documents)
    assert not r.specific and r.attribute not in ("length", "frequency", "responsible")


def test_an_ask_outside_the_choices_is_kept():
    r = read_question(canonical_wording("支委会多久开一次"), load_facts(), load_corpus().documents)
    assert r.attribute == "frequency" and r.specific


@pytest.mark.parametrize("question,attribute", [
    ("星级评定要打多少分", "score"),  # the thesaurus reads 打分 as 考核
    ("给外部董事的报酬一年多少", "money"),  # and 报酬 as 薪酬
])
def test_asking_words_the_thesaurus_reading_swallows_are_read_in_the_users_words(question, attribute):
    own = read_question(canonical_wording(question), load_facts(), load_corpus().documents, question)
    assert own.attribute == attribute and own.specific


def test_the_users_words_give_no_yes_no_question_a_figure_to_ask():
    # 只看上级打分吗 asks how the evaluation is done, not a score
    q = "党建账单的评价是只看上级打分吗"
    assert read_question(canonical_wording(q), load_facts(), load_corpus().documents, q).attribute == ""


@pytest.mark.parametrize("question", ["搞技术攻关，清单提倡跟谁联手", "课题成果要评上哪一级的奖才算数"])
def test_a_partner_or_a_level_asked_is_no_responsible_party(question):
    assert read(question).attribute != "responsible"


def test_who_does_it_is_still_the_responsible_party():
    assert read("前置研究讨论清单由谁来定").attribute == "responsible"


@pytest.mark.parametrize("question,attribute", [
    ("上级的新要求，党委隔几个月要研究一回", "frequency"),  # 隔 + a span of time: how often
    ("一线和机关谁该多拿点活动经费", ""),  # which of two gets more, not who is responsible
])
def test_spans_between_and_comparisons_between_two_are_read(question, attribute):
    assert read(question).attribute == attribute


@pytest.mark.parametrize("question,attribute", [
    ("单位有800名职工，专职党务人员最少配几个", "share"),  # of a whole the user gives, a share answers
    ("监事会现在只有3个人，按清单应该配几个", "headcount"),  # the group's own size is its case, not a whole
])
def test_how_many_of_a_whole_the_question_gives_is_answered_by_a_share(question, attribute):
    assert read(question).attribute == attribute


@pytest.mark.parametrize("question,attribute", [
    ("党小组一届干两年还是三年", "term"),  # a choice between two values of the term still asks the term
    ("先挑几个单位试点，还是所有单位一起推开", ""),  # a few or all: which choice, not how many
])
def test_a_choice_between_values_asks_the_attribute_and_a_few_or_all_does_not(question, attribute):
    assert read(question).attribute == attribute


@pytest.mark.parametrize("question,attribute", [
    ("职工董事在董事会里要占到半数以上吗", "share"),
    ("支部大会的出席率最低多少才能开", "share"),  # X率 … 多少: a rate
    ("混改时管理层一共能持多少股", "share"),
    ("一次慰问要给多少钱，清单里有具体数吗", "money"),  # 有具体数吗 only asks whether it is stated
])
def test_rates_majorities_stakes_and_is_there_a_number_are_read(question, attribute):
    assert read(question).attribute == attribute


@pytest.mark.parametrize("question,attribute", [
    ("活动室门口的宣传栏至少配几块", ""),  # 配几块: boards, not people
    ("云平台管理员每个党委配几个", "headcount"),
])
def test_how_many_to_set_up_asks_people_only_when_it_counts_people(question, attribute):
    assert read(question).attribute == attribute



@pytest.mark.parametrize("text, joined", [
    ("党组织的经费怎么安排", "党组织经费怎么安排"),
    ("支部的委员会多久开", "支部委员会多久开"),
    ("这是我的问题", "这是我的问题"),  # nothing known on both sides of 的
    ("党委的", "党委的"),
])
def test_a_de_inside_a_known_compound_is_dropped(text, joined):
    from assistant.text.thesaurus import joined_possessive

    assert joined_possessive(text, {"党组织经费", "支部委员会"}) == joined


@pytest.mark.parametrize("question", [
    "兼职人员能不能折算进专职的名额",  # the thesaurus reads 算进 as 纳入: 折纳入
    "外包人员包不包括在职工总数里",
    "试用期算不算进去",
])
def test_whether_a_case_counts_toward_a_figure_asks_how_it_is_reckoned(question):
    r = read(question)
    assert r.attribute == "counting" and r.specific, (question, r)


def test_the_askers_own_body_goes_after_what_is_asked_about():
    # 我们党委 is who asks; 新书记 (a newly appointed secretary) is the subject of the question
    r = read("我们党委要任命两个新书记，他们的集中培训多久内参加")
    assert r.subjects and r.subjects[0] == "新任党组织书记", r.subjects
