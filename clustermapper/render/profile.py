"""Region profiles: one PDF or HTML document per region, singly or in batches.

The content is assembled once (:mod:`profile_data`), drawn as charts (:mod:`profile_charts`) and a
locator map (:func:`clustermapper.render.static_map.locator_png`), then laid out by
:mod:`profile_pdf` (reportlab) or :mod:`profile_html` (Jinja2, autoescaped, self-contained).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from clustermapper.analysis import Analysis, Cancelled
from clustermapper.errors import UsageError
from clustermapper.fileutil import atomic_path, atomic_write
from clustermapper.regions.cartography import CREDIT
from clustermapper.render.profile_charts import comparison_chart, figure_bytes, strongest_chart
from clustermapper.render.profile_data import RegionProfile, base_analysis, build_profile

FORMATS = ("pdf", "html")


def _locator(analysis: Analysis, region: str) -> bytes | None:
    from clustermapper.render.static_map import locator_png

    return locator_png(analysis, region)


def write_profile(analysis: Analysis, profile: RegionProfile, out: Path, fmt: str) -> Path:
    """Render an assembled ``profile`` to ``out`` as ``fmt`` ("pdf" or "html"), atomically."""
    locator = _locator(analysis, profile.region)
    strongest, comparison = strongest_chart(profile), comparison_chart(profile)
    if fmt == "pdf":
        from clustermapper.render.profile_pdf import write_profile_pdf

        with atomic_path(out) as tmp:
            write_profile_pdf(profile, tmp, strongest_png=figure_bytes(strongest, "png", 220),
                              comparison_png=figure_bytes(comparison, "png", 220), locator_png=locator,
                              credit=CREDIT)
    elif fmt == "html":
        from clustermapper.render.profile_html import profile_html

        text = profile_html(profile, strongest_svg=figure_bytes(strongest, "svg"),
                            comparison_svg=figure_bytes(comparison, "svg"), locator_png=locator, credit=CREDIT)
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
                   base_year: int | None = None) -> Path:
    """Write the profile of ``region`` to ``out`` (.pdf or .html).

    ``base`` is the base-year analysis for the "changes" section; when omitted it is computed from
    ``base_year`` or the region's earliest year with data (see :func:`profile_data.base_analysis`).
    """
    out = Path(out)
    fmt = profile_format(out)
    if base is None:
        base = base_analysis(analysis, base_year, region.strip().upper())
    return write_profile(analysis, build_profile(analysis, region, base), out, fmt)


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
                    cancel: Callable[[], bool] | None = None) -> list[Path]:
    """Write one profile per region into ``out_dir`` as ``<REGION>.<fmt>``; returns the paths written.

    Each base-year analysis is computed once for the whole batch (regions may have different base years:
    each its own earliest year with data). ``cancel()`` is checked before each region (raises
    :class:`clustermapper.analysis.Cancelled`; files already written stay complete).
    """
    fmt = profile_format(f"x.{fmt}")
    regions = [r.strip().upper() for r in regions]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    bases: dict[int, Analysis] = {}
    written: list[Path] = []
    for i, region in enumerate(regions):
        if cancel is not None and cancel():
            raise Cancelled(f"stopped after {len(written)} of {len(regions)} profiles")
        if progress is not None:
            progress(i / max(len(regions), 1), f"Profile {region} ({i + 1}/{len(regions)})")
        profile = build_profile(analysis, region, base_analysis(analysis, base_year, region, bases))
        written.append(write_profile(analysis, profile, out_dir / f"{region}.{fmt}", fmt))
    if progress is not None:
        progress(1.0, f"{len(written)} profiles written to {out_dir}")
    return written
