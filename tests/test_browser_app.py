"""The app end to end in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

One server for the module (`python -m assistant.ui.serve`, as `make run`), on a free loopback port,
with its index in a fresh temporary folder, so the first question also shows the build progress.
Screenshots go to test-artifacts/ for a person to look at.
"""

import re

import pytest

from tests.browser_support import run, settle

from evals.app_bench import (
    ARTIFACTS,
    SESSION_QUESTIONS,
    AppServer,
    ask,
    chromium_available,
    concurrent_sessions,
    open_page,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not chromium_available(),
                       reason="需要 Debian 的 Chromium（/usr/bin/chromium）：先运行 make browser-deps"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {"ASSISTANT_INDEX_DIR": str(tmp_path_factory.mktemp("browser-index")),
           "ASSISTANT_LLM_BASE_URL": "", "ASSISTANT_LLM_MODEL": "",
           "ASSISTANT_DB_URL": f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'app.db'}"}
    with AppServer(env=env) as srv:
        yield srv
        if srv.proc.poll() is not None:
            pytest.fail(f"the server died:\n{srv.log()}")




async def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await settle(page)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_question_citation_source_card_follow_up_and_link(server, corpus):
    label = corpus.get("HG-21.1").label

    async def scenario(browser):
        page, _ = await open_page(browser, server.url)
        await page.get_by_role("button", name="支委会多久开一次？").wait_for()
        await shoot(page, "01-chat-empty")

        # The first question waits for the index to be built (fresh folder), with progress shown.
        box = page.get_by_test_id("stChatInputTextArea")
        await box.fill("支委会多久开一次？")
        await box.press("Enter")
        # The lexical index builds in about a second, so the progress may be gone before the browser
        # looks: the screenshot is taken when it is still there; the status line it leaves behind
        # (检索索引已就绪) is asserted below either way.
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        ARTIFACTS.mkdir(exist_ok=True)
        building = True
        try:
            await page.get_by_test_id("stProgress").wait_for(timeout=5_000)
            await page.screenshot(path=str(ARTIFACTS / "02a-building-index.png"))
        except PlaywrightTimeout:
            building = False
        answer = page.get_by_test_id("stChatMessage").nth(1)
        await answer.get_by_test_id("stCaptionContainer").filter(has_text="依据条款").wait_for(timeout=180_000)
        text = await answer.inner_text()
        assert label in text
        # The page view starts the build in the background: on an idle machine it can be done before
        # the question arrives, and then there is no progress to leave a status line behind.
        assert "检索索引已就绪" in text or ("检索索引" not in text and not building)
        await shoot(page, "02-chat-answer")

        answer = page.get_by_test_id("stChatMessage").nth(1)
        card = answer.get_by_test_id("stExpander").filter(has_text=label)
        await card.locator("summary").click()
        body = card.get_by_test_id("stExpanderDetails")
        await body.wait_for()
        await settle(page)  # the card's contents are drawn by the run the click starts
        card_text = await body.inner_text()
        assert corpus.get("HG-21.1").text[:30] in card_text  # the full leaf text
        assert "党内组织生活严肃认真" in card_text  # its part
        highlighted = body.locator("strong").filter(has_text="支委会")
        assert await highlighted.count() >= 1
        await card.scroll_into_view_if_needed()
        await shoot(page, "03-source-card")

        # The card's link opens the clause browser in the same session...
        await body.get_by_role("link", name="在条款浏览中打开").click()
        await page.get_by_text(f"📌 {label}").wait_for(timeout=60_000)
        assert re.search(r"/browse\?clause=HG-21\.1$", page.url), page.url
        await shoot(page, "04-browse-from-card")

        # ...and back in the chat the conversation is still there, so a follow-up works.
        await page.get_by_test_id("stTopNav").get_by_role("link", name="问答").click()
        await page.get_by_test_id("stChatMessage").nth(1).wait_for(timeout=60_000)
        await settle(page)  # the conversation is drawn again from the store before it is counted
        assert await page.get_by_test_id("stChatMessage").count() == 2
        text, _ = await ask(page, "那党小组会呢？")
        assert label in text and "每月" in text
        assert await page.get_by_test_id("stChatMessage").count() == 4
        await shoot(page, "05-follow-up")

    run(scenario)


def test_not_covered_answer_is_a_warning(server):
    async def scenario(browser):
        page, _ = await open_page(browser, server.url)
        text, _ = await ask(page, "公司食堂的菜单怎么定？", timeout_s=180)
        answer = page.get_by_test_id("stChatMessage").nth(1)
        assert await answer.get_by_test_id("stAlert").count() == 1
        assert "没有" in text
        await shoot(page, "06-not-covered")

    run(scenario)


def test_deep_link_opens_the_clause(server, corpus):
    label = corpus.get("SS-2.3").label

    async def scenario(browser):
        page, _ = await open_page(browser, f"{server.url}/?clause=SS-2.3", heading="条款浏览")
        await page.get_by_text(f"📌 {label}").wait_for()
        assert page.url.endswith("/browse?clause=SS-2.3")
        await settle(page)
        main = await page.get_by_test_id("stMainBlockContainer").inner_text()
        box = main.split("搜索条款")[0]  # the opened clause sits above the search box
        assert label in box and "党委成员进入董事会不低于总人数的30%" in box
        await shoot(page, "07-deep-link")

    run(scenario)


def test_checks_form_verdicts(server):
    async def scenario(browser):
        page, _ = await open_page(browser, f"{server.url}/checks", heading="达标自查")
        await page.get_by_role("spinbutton", name="职工人数（人）", exact=True).fill("1200")
        await page.get_by_role("spinbutton", name="专职党务人员（人）", exact=True).fill("5")
        await page.get_by_role("spinbutton", name="董事会人数（人）", exact=True).fill("9")
        await page.get_by_role("spinbutton", name="党委成员进入董事会人数（人）", exact=True).fill("3")
        await page.get_by_role("button", name="开始自查").click()
        await page.get_by_role("heading", name="自查结果").wait_for()
        await settle(page)
        metrics = page.get_by_test_id("stMetric")
        # Under full-suite load the heading can be drawn before the metrics below it: wait for them to be drawn.
        await metrics.nth(2).wait_for(timeout=30_000)
        assert await metrics.count() == 3
        fail = await metrics.filter(has_text="不达标").get_by_test_id("stMetricValue").inner_text()
        assert int(fail) >= 1
        await page.get_by_role("heading", name="自查结果").scroll_into_view_if_needed()
        await shoot(page, "08-checks")

    run(scenario)


def test_eight_sessions_at_once_all_correct_no_leak(server):
    async def scenario(browser):
        # Make sure the index exists before timing (the first test built it).
        page, _ = await open_page(browser, server.url)
        await ask(page, SESSION_QUESTIONS[0][0], timeout_s=180)
        await page.context.close()
        return await concurrent_sessions(browser, server.url, SESSION_QUESTIONS)

    results = run(scenario)
    for r in results:
        print(f"{r['seconds']:>5.2f} s  {r['expected']:<8} {r['question']}")
    assert len(results) == 8
    assert all(r["correct"] for r in results), results
    assert not any(r["leaked"] for r in results), results


@pytest.mark.parametrize("path, heading", [
    ("chat", "问答"), ("checks", "达标自查"), ("browse", "条款浏览"), ("plan", "工作计划"), ("quiz", "题库与练习"),
])
def test_every_page_opens_without_errors(server, path, heading):
    async def scenario(browser):
        page, _ = await open_page(browser, f"{server.url}/{path}", heading=heading)
        await settle(page)
        assert await page.get_by_test_id("stException").count() == 0
        errors = page.get_by_test_id("stAlertContentError")
        assert await errors.count() == 0, await errors.all_inner_texts()
        await shoot(page, f"page-{path}")

    run(scenario)
