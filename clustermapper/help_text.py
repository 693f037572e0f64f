"""Plain-language explanation of the star method and of confidential data: the one text the app's
Help → Star method dialog and ``clustermapper explain-method`` show.

The text is kept as sections of short paragraphs (no markup) so each front end renders it its own way:
:func:`as_text` for a terminal, :func:`as_html` (escaped) for Qt rich text. The numbers come from
:class:`StarParams` and the policy names from :mod:`clustermapper.defaults`, never retyped.
"""

from __future__ import annotations

import html

from clustermapper.defaults import DEFAULT_SUPPRESSED, SUPPRESSED_POLICIES
from clustermapper.metrics.params import StarParams
from clustermapper.metrics.stars import top_k

Paragraph = str | tuple[str, str]  # text, or (term, text) for a definition such as a policy
Section = tuple[str, tuple[Paragraph, ...]]  # heading, paragraphs


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


def sections(params: StarParams | None = None) -> list[Section]:
    """The explanation under ``params`` (default: the European Cluster Observatory's thresholds)."""
    p = params or StarParams()
    share = f"{p.top_share:.0%}"
    example_n = 275  # an N whose top share is not a whole number, to show the rounding
    example_k = top_k(p.top_share, example_n)  # the rule the stars use, exact (no float drift)
    minimum = _number(p.min_employment)
    policies = {
        "zero": ("Published cells only. A confidential cell counts as 0, as in older versions of this tool. "
                 "This underestimates big clusters: Braunschweig's car industry would count as empty."),
        "exclude": ("A region whose number for a category depends on a confidential cell is left out of that "
                    "category's ranking: it gets no stars in that category."),
        "eco-split": ("The European Cluster Observatory's gap filling: take the nearest larger industry "
                      "group that has a published number, subtract the published parts, and split what is "
                      "left equally among the hidden parts."),
        "estimate": ("Fills each hidden cell so that every published total is met: the region's total for the "
                     "whole industry section, and the totals of the larger region and of the country for the "
                     "same industry. The number of local units, the wages paid and the neighbouring years "
                     "guide where the missing employees most likely are. Each estimate comes with bounds: at "
                     "least 0, at most what the published totals leave over. A hidden cell that no published "
                     "total limits and nothing else describes stays confidential: any number there would be "
                     "invented. Each star then says whether it is certain (it holds for every value within the "
                     "bounds, whatever the other hidden cells are), possible (it holds for some) or excluded "
                     "(for none). Estimated numbers are always marked as estimates (≈)."),
    }
    policy_paragraphs = tuple((f"{name}{' (default)' if name == DEFAULT_SUPPRESSED else ''}", policies[name])
                              for name in SUPPRESSED_POLICIES)
    return [
        ("Three stars", (
            "A region gets up to three stars in each industry (a category). Each star answers one question "
            "about the people employed in that industry in that region.",
            ("Size", f"Is the region among the {share} of regions with the most employees in the industry?"),
            ("Focus", f"Is the region among the {share} of regions where the industry makes up the largest "
                      "part of all employment in the region?"),
            ("Specialisation", f"Does the industry weigh at least {p.lq_min:g} times as much in the region as "
                               "in all regions together? This ratio is called the location quotient (LQ)."),
        )),
        (f"The {minimum}-employee minimum", (
            f"An industry with fewer than {minimum} employees in a region gets no star at all there, however "
            "high it ranks. A handful of firms in a small region should not look like a cluster.",
        )),
        ("How many regions make the top", (
            f"The top {share} is counted from the regions that have any employment data that year. With "
            f"{example_n} such regions the top is {example_k} regions ({p.top_share * example_n:g} rounded up): the "
            "count is always rounded up, so even a short list has a top.",
            "Ties share the better place: two regions with the same number both count as, say, third. If that "
            "tie sits at the edge of the top, both get the star.",
        )),
        ("Confidential data", (
            "Eurostat hides some numbers to protect individual firms: when one or two companies make up most "
            "of an industry in a region, publishing the number would reveal their figures. About a tenth of "
            "the region-by-industry numbers are hidden this way.",
            "Some hidden numbers are large. The car industry of Braunschweig (the region of Wolfsburg) is "
            "confidential in every year of the file (2008 to 2015), although it is one of the biggest in Europe. Totals above "
            "it are still published, which limits what the hidden number can be.",
            "You choose how hidden numbers enter the stars (the --suppressed option on the command line):",
            *policy_paragraphs,
        )),
    ]


def as_text(params: StarParams | None = None, width: int = 100) -> str:
    """The explanation for a terminal, wrapped at ``width``."""
    import textwrap

    out: list[str] = []
    for heading, paragraphs in sections(params):
        out += [heading, "-" * len(heading)]
        for paragraph in paragraphs:
            if isinstance(paragraph, tuple):
                term, text = paragraph
                out += [textwrap.fill(f"{term}: {text}", width, initial_indent="- ", subsequent_indent="  "), ""]
            else:
                out += [textwrap.fill(paragraph, width), ""]
    return "\n".join(out).rstrip() + "\n"


def as_html(params: StarParams | None = None) -> str:
    """The explanation as escaped HTML (headings and paragraphs) for a rich-text view."""
    parts: list[str] = []
    for heading, paragraphs in sections(params):
        parts.append(f"<h3>{html.escape(heading)}</h3>")
        for paragraph in paragraphs:
            if isinstance(paragraph, tuple):
                term, text = paragraph
                parts.append(f"<p><b>{html.escape(term)}</b>: {html.escape(text)}</p>")
            else:
                parts.append(f"<p>{html.escape(paragraph)}</p>")
    return "\n".join(parts)
