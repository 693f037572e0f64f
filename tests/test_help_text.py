"""The one plain-language method text (Help → Star method, ``clustermapper explain-method``)."""

from __future__ import annotations

import re
import subprocess
import sys

from clustermapper import help_text
from clustermapper.defaults import DEFAULT_SUPPRESSED, SUPPRESSED_POLICIES
from clustermapper.metrics.params import StarParams


def test_covers_stars_minimum_ties_top_count_and_every_policy() -> None:
    text = help_text.as_text(width=10_000)
    for needle in ("Size", "Focus", "Specialisation", "1,000-employee minimum", "fewer than 1,000",
                   "Ties share the better place", "275 such regions the top is 28 regions (27.5 rounded up)",
                   "protect individual firms", "About a tenth", "Braunschweig"):
        assert needle in text, needle
    terms = [p[0] for _, paragraphs in help_text.sections() for p in paragraphs if isinstance(p, tuple)]
    policies = [t.split(" ")[0] for t in terms if t.split(" ")[0] in SUPPRESSED_POLICIES]
    assert policies == list(SUPPRESSED_POLICIES)
    assert f"{DEFAULT_SUPPRESSED} (default)" in terms and sum("(default)" in t for t in terms) == 1
    assert "certain" in text and "possible" in text and "excluded" in text


def test_numbers_follow_the_thresholds() -> None:
    text = help_text.as_text(StarParams(top_share=0.2, lq_min=1.5, min_employment=500), width=10_000)
    assert "among the 20% of regions" in text and "at least 1.5 times" in text and "fewer than 500 employees" in text
    assert "the top is 55 regions (55 rounded up)" in text  # 0.2 × 275 = 55 exactly: no rounding up to 56


def test_html_is_escaped_and_structured() -> None:
    page = help_text.as_html()
    assert page.count("<h3>") == len(help_text.sections())
    assert "Braunschweig&#x27;s" in page and "Braunschweig's" not in page
    assert "<b>estimate (default)</b>: " in page
    # only the tags the renderer writes itself
    assert set(re.findall(r"</?(\w+)", page)) == {"h3", "p", "b"}


def test_cli_prints_the_same_text() -> None:
    proc = subprocess.run([sys.executable, "-m", "clustermapper", "explain-method"], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == help_text.as_text()
    html = subprocess.run([sys.executable, "-m", "clustermapper", "explain-method", "--format", "html"],
                          capture_output=True, text=True, check=False)
    assert html.stdout == help_text.as_html() + "\n"
