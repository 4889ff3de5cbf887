"""The app as a daily tool, in headless Chromium (Debian's /usr/bin/chromium via Playwright):
history that survives a reload and stays in its browser, feedback that reaches 问题统计, unknown
addresses, every page at phone (390×844) and desktop (1400×900) size, and a server log without
deprecation warnings. One server (as `make run`) with its own conversation database.

The tests run in file order and share the server; the last one reads the whole server log.
"""

import csv
import io
import re

import pytest

from tests.browser_support import run, settle, settle_after

from evals.app_bench import ARTIFACTS, AppServer, ask, chromium_available

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not chromium_available(),
                       reason="需要 Debian 的 Chromium（/usr/bin/chromium）：先运行 make browser-deps"),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}
PAGES = [("", "问答"), ("checks", "达标自查"), ("browse", "条款浏览"), ("plan", "工作计划"), ("quiz", "题库与练习"),
         ("stats", "问题统计")]
QUESTION = "支委会多久开一次？"
GAP_QUESTION = "党小组长任期几年？"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("daily-db") / "app.db"
    env = {"ASSISTANT_LLM_BASE_URL": "", "ASSISTANT_LLM_MODEL": "", "ASSISTANT_DB_URL": f"sqlite:///{db}",
           "ASSISTANT_QUESTION_LOG": "on"}
    with AppServer(env=env) as srv:
        yield srv
        if srv.proc.poll() is not None:
            pytest.fail(f"the server died:\n{srv.log()}")




async def new_page(browser, viewport=DESKTOP):
    """A new browser context: its own cookies, so it is another browser for the app."""
    context = await browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    return await context.new_page()


async def goto(page, url: str, heading: str) -> None:
    await page.goto(url)
    await page.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
    await settle(page, 400)


def history_titles(page):
    return page.get_by_test_id("stSidebar").get_by_role("button")


async def open_sidebar(page) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    if await sidebar.get_attribute("data-collapsed") == "true":
        await page.get_by_test_id("stExpandSidebarButton").click()
        await page.wait_for_timeout(500)


def test_history_survives_a_reload_and_stays_in_its_browser(server, corpus):
    label = corpus.get("HG-21.1").label

    async def scenario(browser):
        page = await new_page(browser)
        await goto(page, server.url, "问答")
        text, _ = await ask(page, QUESTION, timeout_s=120)
        assert label in text
        await settle(page, 400)
        assert re.search(r"[?&]c=[0-9a-f]{32}", page.url), page.url
        cookies = {c["name"]: c["value"] for c in await page.context.cookies()}
        assert re.fullmatch(r"[0-9a-f]{32}", cookies.get("assistant_uid", "")), cookies
        sidebar = page.get_by_test_id("stSidebar")
        await sidebar.get_by_role("button", name=QUESTION).wait_for()

        # A reload: the same conversation, its source card intact.
        await page.reload()
        await page.get_by_test_id("stChatMessage").nth(1).wait_for(timeout=60_000)
        await settle(page, 400)
        assert await page.get_by_test_id("stChatMessage").count() == 2
        card = page.get_by_test_id("stChatMessage").nth(1).get_by_test_id("stExpander").filter(has_text=label)
        await card.locator("summary").click()
        body = card.get_by_test_id("stExpanderDetails")
        await body.wait_for()
        assert corpus.get("HG-21.1").text[:30] in await body.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "daily-01-after-reload.png"))

        # The bare address (a new visit from the same browser) starts empty but lists the conversation;
        # choosing it in the sidebar opens it again.
        await goto(page, server.url, "问答")
        assert await page.get_by_test_id("stChatMessage").count() == 0
        await sidebar.get_by_role("button", name=QUESTION).click()
        await page.get_by_test_id("stChatMessage").nth(1).wait_for()
        assert label in await page.get_by_test_id("stChatMessage").nth(1).inner_text()
        own_url = page.url

        # Another browser sees none of it, not even through the address of the conversation.
        other = await new_page(browser)
        await goto(other, server.url, "问答")
        assert await other.get_by_test_id("stSidebar").get_by_role("button", name=QUESTION).count() == 0
        await goto(other, own_url, "问答")
        await other.get_by_text("属于另一个浏览器").wait_for()
        assert await other.get_by_test_id("stChatMessage").count() == 0
        assert "每月召开1次" not in await other.get_by_test_id("stMainBlockContainer").inner_text()
        await other.screenshot(path=str(ARTIFACTS / "daily-02-other-browser.png"))

        # Rename, then delete, in the first browser.
        await page.get_by_text("重命名或删除当前对话").click()
        box = sidebar.get_by_label("对话标题")
        await box.fill("支委会的频次")
        await box.press("Enter")
        await settle_after(page, 400)
        await sidebar.get_by_role("button", name="保存标题").click()
        await sidebar.get_by_role("button", name="支委会的频次").wait_for()
        await page.screenshot(path=str(ARTIFACTS / "daily-03-renamed.png"))
        await sidebar.get_by_role("button", name="删除对话").click()
        await sidebar.get_by_text("对话已删除").wait_for()
        assert await sidebar.get_by_role("button", name="支委会的频次").count() == 0
        assert await page.get_by_test_id("stChatMessage").count() == 0

    run(scenario)


def test_feedback_and_gaps_show_on_the_report(server, tmp_path):
    async def scenario(browser):
        page = await new_page(browser)
        await goto(page, server.url, "问答")
        await ask(page, QUESTION, timeout_s=120)
        await settle(page, 400)
        answer = page.get_by_test_id("stChatMessage").nth(1)
        await answer.get_by_test_id("stFeedback").get_by_role("radio", name="Thumbs down").click()
        await settle(page, 400)
        reason = answer.get_by_placeholder("哪里不对", exact=False)
        await reason.fill("想知道支委会的出席人数")
        await answer.get_by_role("button", name="提交原因").click()
        await answer.get_by_text("原因已记录").wait_for()
        await page.screenshot(path=str(ARTIFACTS / "daily-04-feedback.png"))
        await ask(page, GAP_QUESTION, timeout_s=60)
        await settle(page, 400)

        # A reload keeps the 👎 shown as given.
        await page.reload()
        await page.get_by_test_id("stChatMessage").nth(3).wait_for(timeout=60_000)
        await settle(page, 400)
        rating = page.get_by_test_id("stChatMessage").nth(1).get_by_test_id("stFeedback")
        assert await rating.get_by_role("radio", name="Thumbs down").get_attribute("aria-checked") == "true"
        assert await rating.get_by_role("radio", name="Thumbs up").get_attribute("aria-checked") == "false"

        await goto(page, f"{server.url}/stats", "问题统计")
        await page.get_by_role("heading", name="被标为“没用”的回答").wait_for()
        await page.get_by_role("button", name="下载全部提问（CSV）").wait_for()
        await settle(page, 400)
        main = page.get_by_test_id("stMainBlockContainer")
        text = await main.inner_text()
        assert QUESTION in text and "想知道支委会的出席人数" in text and "〔河钢标准 第21条第1款〕" in text
        assert "党小组长" in text and "任期" in text  # the gap, grouped by its subject
        down = page.get_by_test_id("stMetric").filter(has_text="没用").get_by_test_id("stMetricValue")
        assert int(await down.inner_text()) >= 1
        async with page.expect_download() as info:
            await page.get_by_role("button", name="下载未覆盖问题（CSV）").click()
        gaps = await (await info.value).path()
        async with page.expect_download() as info:
            await page.get_by_role("button", name="下载全部提问（CSV）").click()
        everything = await (await info.value).path()
        return open(gaps, encoding="utf-8-sig").read(), open(everything, encoding="utf-8-sig").read()

    gaps, everything = run(scenario)
    gap_rows = list(csv.DictReader(io.StringIO(gaps)))
    assert any(r["未覆盖的主题"] == "党小组长" and "任期" in r["问到的方面"] for r in gap_rows), gap_rows
    rows = list(csv.DictReader(io.StringIO(everything)))
    mine = [r for r in rows if r["问题"] == QUESTION and r["评价"] == "没用"]
    assert mine and mine[0]["反馈意见"] == "想知道支委会的出席人数", rows
    assert not re.search("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]", gaps + everything)


@pytest.mark.parametrize("path", ["chat", "no-such-page"])
def test_unknown_address_opens_the_chat(server, path):
    async def scenario(browser):
        page = await new_page(browser)
        await goto(page, f"{server.url}/{path}", "问答")
        await page.wait_for_timeout(1000)
        body = await page.locator("body").inner_text()
        assert "Page not found" not in body and "not found" not in body.lower()
        assert await page.get_by_test_id("stChatInputTextArea").count() == 1

    run(scenario)


@pytest.mark.parametrize("size, viewport", [("phone", PHONE), ("desktop", DESKTOP)])
def test_every_page_at_phone_and_desktop_size(server, size, viewport):
    """Screenshots of every page, with something on it (an answer, check results, a plan, a quiz)."""
    async def scenario(browser):
        page = await new_page(browser, viewport)
        for path, heading in PAGES:
            await goto(page, f"{server.url}/{path}", heading)
            if path == "":
                await ask(page, QUESTION, timeout_s=120)
            elif path == "checks":
                await page.get_by_role("spinbutton", name="职工人数（人）", exact=True).fill("1200")
                await page.get_by_role("spinbutton", name="专职党务人员（人）", exact=True).fill("5")
                await page.get_by_role("button", name="开始自查").click()
                await page.get_by_role("heading", name="自查结果").wait_for()
            elif path == "plan":
                await page.get_by_role("button", name="生成计划").click()
                await page.get_by_test_id("stTable").first.wait_for(timeout=60_000)
            await settle(page, 400)
            assert await page.get_by_test_id("stException").count() == 0
            errors = page.get_by_test_id("stAlertContentError")
            assert await errors.count() == 0, await errors.all_inner_texts()
            if viewport is PHONE:  # nothing but a table may be wider than the screen
                width = await page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"] + 1, (path, width)
            name = path or "chat"
            await page.screenshot(path=str(ARTIFACTS / f"{size}-{name}.png"))
            if path in ("checks", "plan"):
                await page.get_by_test_id("stTable").first.scroll_into_view_if_needed()
                await page.screenshot(path=str(ARTIFACTS / f"{size}-{name}-table.png"))
            if path == "" and viewport is PHONE:
                # The phone's menu (navigation and history) is the sidebar; choosing a page closes it.
                await open_sidebar(page)
                await page.screenshot(path=str(ARTIFACTS / f"{size}-sidebar.png"))
                sidebar = page.get_by_test_id("stSidebar")
                await sidebar.get_by_role("link", name="达标自查").click()
                await page.get_by_role("heading", name="达标自查").wait_for()
                await page.locator('[data-testid="stSidebar"][data-collapsed="true"]').wait_for(state="attached", timeout=5000)

    run(scenario)


def test_no_deprecation_warning_in_the_server_log(server):
    """Runs last: every page above was used; Streamlit logs a deprecation as a warning line."""
    log = server.log_path.read_text(errors="replace")
    bad = [line for line in log.splitlines() if re.search(r"deprecat|will be removed|no longer supported", line, re.I)]
    assert not bad, "\n".join(bad)
