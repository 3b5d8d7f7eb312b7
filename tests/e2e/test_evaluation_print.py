"""The evaluation report in Chromium: accessible on screen, and printed on A4 nothing runs off
the page's width (186 mm between the print stylesheet's margins)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_dashboard import serious_violations, sign_in

PAGE = "/evaluation?programme=guilin-2022&as_of=2022-12-31"
A4_PRINTABLE_PX = 703  # (210 − 2 × 12) mm at 96 px per inch


@pytest.fixture
def page(browser: Any, site: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_evaluation_prints_on_a4_and_has_no_serious_accessibility_problem(
    page: Any, site: str, artifacts: Path
) -> None:
    sign_in(page, site, "pm-4503")
    page.goto(f"{site}{PAGE}")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().endswith("年度绩效评价")
    assert serious_violations(page) == []

    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_PRINTABLE_PX, "height": 1000})
    widest = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('main table')]"
        ".map(t => t.getBoundingClientRect().right))")
    assert widest <= A4_PRINTABLE_PX + 1
    assert page.locator("header").is_hidden() and page.locator("form.toolbar").is_hidden()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    (artifacts / "evaluation.pdf").write_bytes(pdf)
