"""The app in a real browser: timings and 8 concurrent sessions (also the browser tests' harness).

    .venv/bin/python evals/app_bench.py            # prints the numbers; exit 1 if a target is missed
    .venv/bin/python evals/app_bench.py --sessions 8 --json

It builds the index in a temporary folder (as `make run` does before serving), starts
`streamlit run app.py` on a free loopback port and drives Debian's Chromium (/usr/bin/chromium)
through Playwright. Targets: server start to first page <= 10 s, first answer <= 3 s after the page
has loaded, later answers <= 1 s (extractive mode), N concurrent sessions all correct, no leakage.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1366, "height": 900}
ARTIFACTS = ROOT / "test-artifacts"

TARGETS = {"server_to_first_page_s": 10.0, "first_answer_s": 3.0, "later_answer_s": 1.0}

# Different questions for concurrent sessions, each with the clause its answer must cite.
# They come from evals/answer_dev.jsonl (the answer stage's own dev set).
SESSION_QUESTIONS = (
    ("支委会多久开一次？", "HG-21.1"),
    ("党支部书记的党龄有什么要求？", "HG-13.1"),
    ("主题党日多久搞一次？", "HG-21.5"),
    ("党员每年集中学习培训累计不少于多少学时", "HG-23.2"),
    ("新任党组织书记多长时间内要参加集中培训", "HG-13.3"),
    ("党支部一年至少开几次组织生活会？", "HG-21.2"),
    ("基层党组织书记每年培训学时不少于多少？", "HG-22"),
    ("领导班子民主生活会每年开几次", "HG-20.1"),
)


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 2) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode("utf-8", "replace")


@dataclass
class AppServer:
    """`streamlit run app.py` on a free loopback port, in its own process group."""

    env: dict = field(default_factory=dict)
    port: int = 0
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    health_seconds: float = 0.0
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> "AppServer":
        self.port = self.port or free_port()
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
               "ANONYMIZED_TELEMETRY": "False", **self.env}
        log = tempfile.NamedTemporaryFile("w+", prefix="app-server-", suffix=".log", delete=False)
        self.log_path = Path(log.name)
        # The same command as `make run`: warm the retriever, then `streamlit run app.py`.
        cmd = [sys.executable, "-m", "assistant.ui.serve",
               "--server.port", str(self.port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = self.started_at + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if http_get(f"{self.url}/_stcore/health").strip() == "ok":
                    self.health_seconds = time.monotonic() - self.started_at
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"/_stcore/health did not answer within {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path else ""

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


async def launch_browser(playwright):
    # launch() gives every run a fresh temporary profile (user-data-dir).
    return await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


async def open_page(browser, url: str, heading: str = "问答", timeout_s: float = 60):
    """A new browser session on `url`; returns (page, seconds until the page's heading shows)."""
    context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = await context.new_page()
    t0 = time.monotonic()
    await page.goto(url)
    await page.get_by_role("heading", name=heading).first.wait_for(timeout=timeout_s * 1000)
    return page, time.monotonic() - t0


def chat_messages(page):
    return page.get_by_test_id("stChatMessage")


async def ask(page, question: str, timeout_s: float = 60) -> tuple[str, float]:
    """Type a question into the chat and wait for its answer; returns (answer text, seconds)."""
    messages = chat_messages(page)
    before = await messages.count()
    box = page.get_by_test_id("stChatInputTextArea")
    await box.fill(question)
    t0 = time.monotonic()
    await box.press("Enter")
    answer = messages.nth(before + 1)
    # Done when the answer shows its citations line, a not-covered warning, or an error.
    done = answer.locator('[data-testid="stAlert"]').or_(
        answer.get_by_test_id("stCaptionContainer").filter(has_text="依据条款"))
    await done.first.wait_for(timeout=timeout_s * 1000)
    seconds = time.monotonic() - t0
    return await answer.inner_text(), seconds


def label_of(clause_id: str) -> str:
    from assistant.corpus import load_corpus

    return load_corpus().get(clause_id).label


async def concurrent_sessions(browser, url: str, questions=SESSION_QUESTIONS) -> list[dict]:
    """One browser context per question, all asking at the same moment; checks answers and leaks."""
    opened = await asyncio.gather(*(open_page(browser, url) for _ in questions))
    pages = [p for p, _ in opened]
    results = await asyncio.gather(*(ask(p, q) for p, (q, _) in zip(pages, questions)))
    out = []
    for page, (question, cid), (text, seconds) in zip(pages, questions, results):
        whole = await page.get_by_test_id("stMainBlockContainer").inner_text()
        others = [q for q, _ in questions if q != question and q in whole]
        out.append({"question": question, "expected": cid, "seconds": round(seconds, 2),
                    "correct": label_of(cid) in text, "leaked": others})
        await page.context.close()
    return out


def build_index(index_dir: str, env: dict) -> float:
    t0 = time.monotonic()
    subprocess.run([str(Path(sys.executable).parent / "assistant"), "index", "build"], cwd=ROOT,
                   env={**os.environ, **env, "ASSISTANT_INDEX_DIR": index_dir}, check=True,
                   stdout=subprocess.DEVNULL)
    return time.monotonic() - t0


async def bench(sessions: int, screenshots: bool) -> dict:
    from playwright.async_api import async_playwright

    env = {"ASSISTANT_LLM_BASE_URL": "", "ASSISTANT_LLM_MODEL": ""}  # extractive mode
    with tempfile.TemporaryDirectory(prefix="app-bench-index-") as index_dir:
        env["ASSISTANT_INDEX_DIR"] = index_dir
        env["ASSISTANT_DB_URL"] = f"sqlite:///{Path(index_dir) / 'bench.db'}"  # not the user's history
        numbers = {"index_build_s": round(build_index(index_dir, env), 2)}
        server = AppServer(env=env)
        t_start = time.monotonic()
        server.start()
        try:
            async with async_playwright() as pw:
                browser = await launch_browser(pw)
                page, _ = await open_page(browser, server.url)
                numbers["server_to_health_s"] = round(server.health_seconds, 2)
                numbers["server_to_first_page_s"] = round(time.monotonic() - t_start, 2)
                text, first = await ask(page, SESSION_QUESTIONS[0][0])
                numbers["first_answer_s"] = round(first, 2)
                numbers["first_answer_correct"] = label_of(SESSION_QUESTIONS[0][1]) in text
                later = []
                for q, cid in SESSION_QUESTIONS[1:4]:
                    text, s = await ask(page, q)
                    later.append(round(s, 2))
                numbers["later_answers_s"] = later
                numbers["later_answer_max_s"] = max(later)
                if screenshots:
                    ARTIFACTS.mkdir(exist_ok=True)
                    await page.screenshot(path=str(ARTIFACTS / "bench-chat.png"), full_page=True)
                await page.context.close()
                t0 = time.monotonic()
                conc = await concurrent_sessions(browser, server.url, SESSION_QUESTIONS[:sessions])
                numbers["concurrent_sessions"] = len(conc)
                numbers["concurrent_wall_s"] = round(time.monotonic() - t0, 2)
                numbers["concurrent_answer_max_s"] = max(r["seconds"] for r in conc)
                numbers["concurrent_all_correct"] = all(r["correct"] for r in conc)
                numbers["concurrent_leaks"] = sum(len(r["leaked"]) for r in conc)
                numbers["concurrent"] = conc
                await browser.close()
        finally:
            server.stop()
    numbers["targets_met"] = {
        "server_to_first_page": numbers["server_to_first_page_s"] <= TARGETS["server_to_first_page_s"],
        "first_answer": numbers["first_answer_s"] <= TARGETS["first_answer_s"],
        "later_answers": numbers["later_answer_max_s"] <= TARGETS["later_answer_s"],
        "concurrent_correct_no_leak": numbers["concurrent_all_correct"] and not numbers["concurrent_leaks"],
    }
    return numbers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="应用在真实浏览器中的性能基准（Chromium + Playwright）")
    parser.add_argument("--sessions", type=int, default=8, help="同时提问的浏览器会话数（默认 8）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.add_argument("--screenshots", action="store_true", help="截图保存到 test-artifacts/")
    args = parser.parse_args(argv)
    if not chromium_available():
        print(f"找不到 {CHROMIUM}：请先运行 make browser-deps。", file=sys.stderr)
        return 2
    if not 1 <= args.sessions <= len(SESSION_QUESTIONS):
        print(f"--sessions 应在 1 到 {len(SESSION_QUESTIONS)} 之间。", file=sys.stderr)
        return 2
    numbers = asyncio.run(bench(args.sessions, args.screenshots))
    if args.json:
        print(json.dumps(numbers, ensure_ascii=False, indent=2))
    else:
        print(f"建索引（预先，同 make run）       {numbers['index_build_s']:>6.2f} s")
        print(f"服务启动 → /_stcore/health       {numbers['server_to_health_s']:>6.2f} s")
        print(f"服务启动 → 首页显示              {numbers['server_to_first_page_s']:>6.2f} s  (目标 ≤ 10)")
        print(f"首页显示后第一个回答             {numbers['first_answer_s']:>6.2f} s  (目标 ≤ 3)")
        print(f"之后的回答（最慢）               {numbers['later_answer_max_s']:>6.2f} s  (目标 ≤ 1) "
              f"{numbers['later_answers_s']}")
        print(f"{numbers['concurrent_sessions']} 个会话同时提问：总用时 {numbers['concurrent_wall_s']:.2f} s，"
              f"最慢回答 {numbers['concurrent_answer_max_s']:.2f} s，"
              f"全部正确：{'是' if numbers['concurrent_all_correct'] else '否'}，"
              f"串话：{numbers['concurrent_leaks']} 处")
        for r in numbers["concurrent"]:
            flag = "✓" if r["correct"] and not r["leaked"] else "✗"
            print(f"  {flag} {r['seconds']:>5.2f} s  {r['expected']:<8} {r['question']}")
        missed = [k for k, ok in numbers["targets_met"].items() if not ok]
        print("全部达标" if not missed else f"未达标：{'、'.join(missed)}")
    return 0 if all(numbers["targets_met"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
