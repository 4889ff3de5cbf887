"""Shared by the browser tests: run a scenario in a fresh Chromium, wait for Streamlit to settle."""

import asyncio

from evals.app_bench import launch_browser


def run(scenario):
    """Run an async scenario with a fresh browser (and a fresh profile)."""
    from playwright.async_api import async_playwright

    async def main():
        async with async_playwright() as pw:
            browser = await launch_browser(pw)
            try:
                return await scenario(browser)
            finally:
                await browser.close()

    return asyncio.run(main())


async def settle(page, pause_ms: int = 300) -> None:
    """Wait until Streamlit has finished the current run (its running indicator is gone)."""
    await page.get_by_test_id("stStatusWidgetRunningIcon").wait_for(state="detached", timeout=60_000)
    await page.wait_for_timeout(pause_ms)


async def settle_after(page, pause_ms: int = 300, start_ms: int = 3000) -> None:
    """After an input that makes Streamlit rerun (Enter in a text box): wait for that run to start, so
    the settle that follows does not return before it (a click during the rerun can be lost), then settle."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    try:
        await page.get_by_test_id("stStatusWidgetRunningIcon").wait_for(state="attached", timeout=start_ms)
    except PlaywrightTimeout:
        pass  # the run was over before we looked
    await settle(page, pause_ms)
