"""Region profiles: one PDF or HTML document per region, singly or in batches.

The content is assembled once (:mod:`profile_data` for the tables, :mod:`profile_client` for the 2–3 client
pages, over one :class:`~profile_analytics.ProfileContext` per batch), drawn as a trend chart
(:mod:`profile_charts`) and a locator map (:func:`clustermapper.render.static_map.locator_png`), then laid out
by :mod:`profile_pdf` (reportlab) or :mod:`profile_html` (Jinja2, autoescaped, self-contained).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from clustermapper.analysis import Analysis, Cancelled
from clustermapper.errors import UsageError
from clustermapper.fileutil import atomic_path, atomic_write
from clustermapper.render.profile_analytics import ProfileContext
from clustermapper.render.profile_charts import figure_bytes, trend_chart
from clustermapper.render.profile_client import client_pages
from clustermapper.render.profile_data import RegionProfile, base_analysis, build_profile

FORMATS = ("pdf", "html")


def _locator(analysis: Analysis, region: str) -> bytes | None:
    from clustermapper.render.static_map import locator_png

    return locator_png(analysis, region) or None


def write_profile(analysis: Analysis, profile: RegionProfile, out: Path, fmt: str, *,
                  ctx: ProfileContext | None = None, base: Analysis | None = None, peers: list[str] | None = None,
                  annex: bool = False) -> Path:
    """Render an assembled ``profile`` to ``out`` as ``fmt`` ("pdf" or "html"), atomically: the client pages
    (peers: the chosen ones, else suggested) and, with ``annex``, the full tables and provenance."""
    ctx = ctx or ProfileContext(analysis)
    pages = client_pages(ctx, profile, base, peers)
    locator = _locator(analysis, profile.region)
    chart = trend_chart(pages.trend) if len(pages.trend) else None
    if fmt == "pdf":
        from clustermapper.render.profile_pdf import write_profile_pdf

        with atomic_path(out) as tmp:
            write_profile_pdf(profile, pages, tmp, trend_png=figure_bytes(chart, "png", 220) if chart else None,
                              locator_png=locator, annex=annex)
    elif fmt == "html":
        from clustermapper.render.profile_html import profile_html

        text = profile_html(profile, pages, trend_svg=figure_bytes(chart, "svg") if chart else None,
                            locator_png=locator, annex=annex)
        with atomic_write(out) as fh:
            fh.write(text)
    else:
        raise UsageError(f"{out}: profile format must be one of {', '.join(FORMATS)}")
    return out


def profile_format(path: str | Path, fmt: str | None = None) -> str:
    fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
    fmt = "html" if fmt == "htm" else fmt
    if fmt not in FORMATS:
        raise UsageError(f"{path}: a profile is written as .pdf or .html")
    return fmt


def render_profile(analysis: Analysis, region: str, out: str | Path, *, base: Analysis | None = None,
                   base_year: int | None = None, peers: list[str] | None = None, annex: bool = False,
                   ctx: ProfileContext | None = None) -> Path:
    """Write the profile of ``region`` to ``out`` (.pdf or .html).

    ``base`` is the base-year analysis for the "changes" section; when omitted it is computed from
    ``base_year`` or the region's earliest year with data (see :func:`profile_data.base_analysis`).
    ``peers``: the regions to compare with (else suggested, :func:`clustermapper.analytics.peers.suggest_peers`);
    ``annex``: add the full category table, star explanations and technical provenance.
    """
    out = Path(out)
    fmt = profile_format(out)
    region = region.strip().upper()
    ctx = ctx or ProfileContext(analysis)
    if base is None:
        base = base_analysis(analysis, base_year, region, ctx.years)
    return write_profile(analysis, build_profile(analysis, region, base), out, fmt, ctx=ctx, base=base, peers=peers,
                         annex=annex)


def regions_of(analysis: Analysis, country: str) -> list[str]:
    """Regions of ``country`` (2-letter code) that have data in the analysis, sorted."""
    country = country.strip().upper()
    regions = sorted(r for r in analysis.portfolio["region"].unique() if str(r).startswith(country))
    if not regions:
        countries = sorted({str(r)[:2] for r in analysis.portfolio["region"]})
        raise UsageError(f"no regions of {country} in {analysis.year}; countries with data: {', '.join(countries)}")
    return regions


def render_profiles(analysis: Analysis, regions: Iterable[str], out_dir: str | Path, fmt: str = "pdf", *,
                    base_year: int | None = None, progress: Callable[[float, str], None] | None = None,
                    cancel: Callable[[], bool] | None = None, peers: Mapping[str, list[str]] | None = None,
                    annex: bool = False, ctx: ProfileContext | None = None) -> list[Path]:
    """Write one profile per region into ``out_dir`` as ``<REGION>.<fmt>``; returns the paths written.

    ``peers``: region → its chosen peers (a workspace's); the others get suggested ones.
    Each base-year analysis is computed once for the whole batch (regions may have different base years:
    each its own earliest year with data). ``cancel()`` is checked before each region (raises
    :class:`clustermapper.analysis.Cancelled`; files already written stay complete).
    """
    fmt = profile_format(f"x.{fmt}")
    regions = [r.strip().upper() for r in regions]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = ctx or ProfileContext(analysis)
    written: list[Path] = []
    for i, region in enumerate(regions):
        if cancel is not None and cancel():
            raise Cancelled(f"stopped after {len(written)} of {len(regions)} profiles")
        if progress is not None:
            progress(i / max(len(regions), 1), f"Profile {region} ({i + 1}/{len(regions)})")
        base = base_analysis(analysis, base_year, region, ctx.years)
        profile = build_profile(analysis, region, base)
        written.append(write_profile(analysis, profile, out_dir / f"{region}.{fmt}", fmt, ctx=ctx, base=base,
                                     peers=(peers or {}).get(region), annex=annex))
    if progress is not None:
        progress(1.0, f"{len(written)} profiles written to {out_dir}")
    return written
