"""What a map shows, as plain data: values, classes, colours, legend and tooltips per region.

Shared by the interactive web map (``render/web_map.py``), the static renderer (``render/static_map.py``)
and the app legend. No drawing happens here.

Layers (``LAYERS``):

=============  ==========================================================================================
``stars``      stars (0-3) of one category; 4 classes
``lq``         location quotient of one category; fixed breaks 0.5, 1, 2, 3 (classes include their lower
               bound, so LQ = 2 exactly falls in "2 – 3", like the specialisation star)
``employment`` employees in one category; Fisher-Jenks natural breaks (as mapclassify's), k = 5
``strength``   portfolio total stars of the region; Fisher-Jenks natural breaks, k = 5
``strongest``  the category with the most stars (ties: highest LQ) per region; the 7 categories that are
               strongest most often get Okabe-Ito colours, the rest "other"
``change``,    change over time, threshold-dependent stars, relatedness density and ecosystem type:
``sensitivity``, :mod:`clustermapper.layers.analytics`
``density``,
``typology``
=============  ==========================================================================================

Regions without data (no employment, LQ undefined) get class ``NO_DATA_CLASS`` and ``NO_DATA_COLOUR``,
never a class colour. Palettes are colour-blind safe: ColorBrewer YlGnBu / YlOrBr / PuBuGn sequential
schemes, ColorBrewer RdBu diverging around LQ = 1, Okabe-Ito qualitative.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from clustermapper.errors import UsageError
from clustermapper.layers.classes import (  # noqa: F401 (the layer API re-exports them)
    LQ_BREAKS,
    NO_DATA_CLASS,
    NO_DATA_COLOUR,
    NO_DATA_LABEL,
    OKABE_ITO,
    OTHER_COLOUR,
    STAR_PALETTE,
    TOP_N_STRONGEST,
    lq_palette,
    natural_breaks,
    qualitative,
    sequential_palette,
)
from clustermapper.layers.tooltips import (  # noqa: F401 (format_value: part of the layer API)
    _next_star,
    _tooltip,
    certainty_columns,
    display_texts,
    employees_text,
    format_value,
)
from clustermapper.metrics.ordering import order_categories


@dataclass(frozen=True)
class LayerSpec:
    """Registry entry: id, title, description and whether a category must be chosen."""

    id: str
    title: str
    description: str
    needs_category: bool
    needs_base: bool = False  # compares with a base year (build_layer's ``base``)


LAYERS: dict[str, LayerSpec] = {
    s.id: s
    for s in (
        LayerSpec("stars", "Stars", "Stars (0-3) of the selected category: size, specialisation, focus.", True),
        LayerSpec(
            "lq",
            "Location quotient",
            "LQ of the selected category; fixed classes < 0.5, 0.5-1, 1-2, 2-3, ≥ 3 (lower bound included).",
            True,
        ),
        LayerSpec("employment", "Employees", "Employees in the selected category; natural breaks (k = 5).", True),
        LayerSpec("strength", "Portfolio strength", "Total stars of the region over all categories.", False),
        LayerSpec(
            "strongest",
            "Strongest category",
            "Category with the most stars (ties: highest LQ) in each region.",
            False,
        ),
        LayerSpec("change", "Change since base year",
                  "Change of the selected category since the base year: emerging (became a cluster), growing, "
                  "stable (|CAGR| < 1 %), declining, vanished; a cluster has at least one star.", True, True),
        LayerSpec("sensitivity", "Threshold-dependent stars",
                  "Stars of the selected category that appear or disappear when the LQ cut (1.5/2/2.5), the top "
                  "share (5/10/20 %) or the minimum (500/1,000/2,000) moves, one at a time.", True),
        LayerSpec("density", "Relatedness density",
                  "How many categories related to the selected one (co-located across Europe) the region is "
                  "specialised in: a measure of the region's capability to grow it.", True),
        LayerSpec("typology", "Ecosystem type",
                  "The region's dominant industrial ecosystem: among those with LQ ≥ 1 and ≥ 1 % of its "
                  "employment, the one with the highest LQ.", False),
    )
}


@dataclass
class LayerData:
    """One map layer as plain data, indexed by region code.

    ``classes`` holds the class index (0 = first legend entry) or ``NO_DATA_CLASS``; ``colours`` holds a
    ``#rrggbb`` for every region of ``values``; ``legend`` lists (label, colour) per class and ends with
    the no-data entry; ``tooltip`` has columns ``name``, ``code`` and labelled values.
    """

    layer: str
    title: str
    category: str | None
    values: pd.Series
    classes: pd.Series
    colours: pd.Series
    legend: list[tuple[str, str]]
    no_data_colour: str = NO_DATA_COLOUR
    category_label: str = ""
    subtitle: str = ""
    description: str = ""
    tooltip: pd.DataFrame = field(default_factory=pd.DataFrame)
    # regions whose value rests on a confidential cell: "estimated" or "confidential" (drawn hatched)
    hatched: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))

    @property
    def hatch_items(self) -> list[tuple[str, str, int]]:
        """(status, legend label, number of regions) of the hatched regions, in ``HATCH_LABELS`` order."""
        counts = self.hatched.value_counts()
        return [(key, label, int(counts[key])) for key, label in HATCH_LABELS.items() if key in counts]

    @property
    def hatch_legend(self) -> list[tuple[str, int]]:
        """(label, count) entries under the classes of the legend."""
        return [(label, n) for _, label, n in self.hatch_items]

    @property
    def n_classes(self) -> int:
        """Number of legend entries that are data classes (the no-data entry excluded)."""
        return len(self.legend) - 1

    def to_dict(self) -> dict:
        """JSON-ready dict for the web page (``cm.restyle``); numbers formatted for display.

        Column-wise (the page indexes it by region): ``codes`` lists the regions, ``colours``, ``classes``
        and ``names`` hold one entry per code, ``hatch`` maps only the hatched codes to their outline colour,
        and ``texts`` holds one list per tooltip column (labels once, in ``columns``), ``None`` where the
        value is missing (left out of the tooltip rather than shown as "–"). One object per region, with
        its keys and labels repeated, made a NUTS-3 restyle twice as large and slower to build."""
        codes = self.values.index
        cols = [c for c in self.tooltip.columns if c not in ("name", "code")]
        # aligned to the layer's regions once; a region the tooltip lacks gets no name and no texts
        tip = self.tooltip if self.tooltip.index.equals(codes) else self.tooltip.reindex(codes)
        names = tip["name"].to_numpy(dtype=object) if "name" in tip else np.full(len(codes), None, dtype=object)
        hatch = self.hatched.map(HATCH_COLOURS).dropna()
        hatch = hatch[hatch.index.isin(codes)]
        regions = {
            "codes": [str(c) for c in codes.tolist()],
            "colours": self.colours.reindex(codes).fillna(self.no_data_colour).astype(str).tolist(),
            "classes": self.classes.reindex(codes).fillna(NO_DATA_CLASS).astype(int).tolist(),
            "names": ["" if m else str(n) for n, m in zip(names.tolist(), pd.isna(names).tolist())],
            "hatch": {str(c): str(v) for c, v in zip(hatch.index.tolist(), hatch.tolist())},
            # each column formatted at once (object values: every value keeps the type it is formatted by)
            "texts": [display_texts(tip[c].to_numpy(dtype=object)) for c in cols],
        }
        return {
            "layer": self.layer,
            "title": self.title,
            "category": self.category,
            "category_label": self.category_label,
            "subtitle": self.subtitle,
            "description": self.description,
            "no_data_colour": self.no_data_colour,
            "columns": [str(c) for c in cols],
            "legend": [{"label": label, "colour": colour} for label, colour in self.legend],
            "hatch_legend": [{"label": label, "count": n, "colour": HATCH_COLOURS[key]}
                             for key, label, n in self.hatch_items],
            "regions": regions,
        }

    def to_json(self) -> str:
        """``to_dict`` as compact JSON (non-ASCII kept; the page escapes before inserting)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))


def build_layer(analysis, layer: str, category: str | None = None, base=None) -> LayerData:
    """Build ``layer`` for ``analysis`` (a :class:`clustermapper.analysis.Analysis`).

    Parameters
    ----------
    analysis : Analysis
        Result of ``run_analysis``.
    layer : str
        One of ``LAYERS``.
    category : str, optional
        Category code; required for ``stars``, ``lq`` and ``employment``.
    base : Analysis, optional
        The same analysis for an earlier year; required for ``change``.
    """
    if layer not in LAYERS:
        raise UsageError(f"unknown map layer {layer!r}; choose one of: {', '.join(LAYERS)}")
    spec = LAYERS[layer]
    if spec.needs_category:
        if category is None:
            raise UsageError(f"the {layer!r} layer needs a category; choose one of: {', '.join(analysis.categories)}")
        if category not in analysis.categories and not (analysis.stars["category"] == category).any():
            raise UsageError(f"unknown category {category!r}; choose one of: {', '.join(analysis.categories)}")
    from clustermapper.layers import analytics

    builders = {"stars": _stars, "lq": _lq, "employment": _employment, "strength": _strength,
                "strongest": _strongest}
    if layer in builders:
        data = builders[layer](analysis, category)  # type: ignore[arg-type]
    else:
        data = {"change": analytics.change_layer, "density": analytics.density_layer,
                "sensitivity": analytics.sensitivity_layer,
                "typology": analytics.typology_layer}[layer](analysis, category, base)  # type: ignore[arg-type]
    data.description = spec.description
    data.subtitle = _subtitle(analysis)
    if spec.needs_base and base is not None:
        data.subtitle = f"{base.year} → {data.subtitle}"
    if category is not None and spec.needs_category:
        data.category_label = _label(analysis, category)
        data.title = f"{spec.title} — {data.category_label}"
    return data


# ---------------------------------------------------------------------------------------------- layers


def _stars(analysis, category: str) -> LayerData:
    rows = _category_rows(analysis, category)
    has_data = rows["lq"].notna()
    values = rows["stars"].where(has_data).astype(float)
    classes = values.fillna(NO_DATA_CLASS).astype(int)
    palette = list(STAR_PALETTE)
    legend = [(f"{k} star" + ("" if k == 1 else "s"), palette[k]) for k in range(4)]
    tooltip = _tooltip(analysis, rows.index, {
        "Stars": values.astype("Int64"),
        "Size star": rows["size_star"].where(has_data),
        "Specialisation star": rows["specialisation_star"].where(has_data),
        "Focus star": rows["focus_star"].where(has_data),
        "Employees": employees_text(rows).where(has_data),
        "LQ": rows["lq"],
        **certainty_columns(rows),
        "Confidential/missing cells": rows["n_flagged"].where(rows["n_flagged"] > 0),
        "Next star": _next_star(rows).where(has_data),
    })
    return _hatch(_finish("stars", "Stars", category, values, classes, palette, legend, tooltip), rows)


def _lq(analysis, category: str) -> LayerData:
    rows = _category_rows(analysis, category)
    values = rows["lq"].astype(float)
    classes = pd.Series(np.searchsorted(LQ_BREAKS, values.to_numpy(), side="right"), index=values.index)
    classes = classes.where(values.notna(), NO_DATA_CLASS).astype(int)
    palette = lq_palette()
    labels = ["< 0.5", "0.5 – 1", "1 – 2", "2 – 3", "≥ 3"]
    tooltip = _tooltip(analysis, rows.index, {
        "LQ": values, "Employees": employees_text(rows).where(values.notna()),
        "Share of regional employment": (rows["share"] * 100).where(values.notna()), "Stars": rows["stars"].where(values.notna()).astype("Int64"),
        **certainty_columns(rows),
    })
    tooltip = tooltip.rename(columns={"Share of regional employment": "Share of region (%)"})
    return _hatch(_finish("lq", "Location quotient", category, values, classes, palette,
                          list(zip(labels, palette)), tooltip), rows)


def _employment(analysis, category: str) -> LayerData:
    rows = _category_rows(analysis, category)
    values = rows["employment"].astype(float).where(rows["region_total"] > 0)
    # classed on whole employees (estimates of confidential cells are fractional): integer legend ranges that
    # neither share an endpoint nor show decimals, and every region sits in the range its number reads in
    classes, labels = natural_breaks(values.round())
    palette = sequential_palette("YlOrBr", len(labels))
    tooltip = _tooltip(analysis, rows.index, {
        "Employees": employees_text(rows).where(values.notna()), "LQ": rows["lq"],
        "Stars": rows["stars"].where(values.notna()).astype("Int64"),
        **certainty_columns(rows),
        "Confidential/missing cells": rows["n_flagged"].where(rows["n_flagged"] > 0),
    })
    return _hatch(_finish("employment", "Employees", category, values, classes, palette,
                          list(zip(labels, palette)), tooltip), rows)


def _strength(analysis, category: str | None) -> LayerData:
    port = analysis.portfolio.set_index("region")
    values = port["total_stars"].astype(float).where(port["employment"] > 0)
    classes, labels = natural_breaks(values)
    palette = sequential_palette("PuBuGn", len(labels))
    tooltip = _tooltip(analysis, port.index, {
        "Total stars": values.astype("Int64"), "3-star clusters": port["n_3star"], "2-star clusters": port["n_2star"],
        "1-star clusters": port["n_1star"], "Strong clusters' share of employment (%)": port["strong_share"] * 100,
        "Top categories": port["top_categories"].map(lambda s: _labels_of(analysis, s)),
    })
    return _finish("strength", "Portfolio strength", None, values, classes, palette, list(zip(labels, palette)), tooltip)


def _strongest(analysis, category: str | None) -> LayerData:
    st = analysis.stars[analysis.stars["lq"].notna()]
    st = order_categories(st, by_region=True)
    best = st.drop_duplicates("region").set_index("region")
    regions = pd.Index(sorted(set(analysis.stars["region"])))
    values = best["category"].reindex(regions)
    classes, palette, legend = qualitative(values, lambda c: _label(analysis, c), "Other category")
    tooltip = _tooltip(analysis, regions, {
        "Strongest category": values.map(lambda c: _label(analysis, c) if isinstance(c, str) else c),
        "Stars": best["stars"].reindex(regions).astype("Int64"), "LQ": best["lq"].reindex(regions),
        "Employees": best["employment"].reindex(regions),
    })
    return _finish("strongest", "Strongest category", None, values, classes, palette, legend, tooltip)


def _finish(layer, title, category, values, classes, palette, legend, tooltip) -> LayerData:
    k = classes.to_numpy(dtype="int64")
    lookup = np.array([*palette, NO_DATA_COLOUR], dtype=object)  # by array, not a lambda per region
    colours = pd.Series(lookup[np.where(k == NO_DATA_CLASS, len(lookup) - 1, k)], index=classes.index, dtype=object)
    legend = list(legend) + [(NO_DATA_LABEL, NO_DATA_COLOUR)]
    return LayerData(layer=layer, title=title, category=category, values=values, classes=classes,
                     colours=colours, legend=legend, tooltip=tooltip)


HATCH_LABELS = {"estimated": "Estimated (confidential in the data)",
                "confidential": "Confidential, counted as published parts only",
                "partly": "Partly based on estimated cells",
                "flagged": "Across a break in series or another Eurostat flag"}
# outline colours of those regions on the web map: unlike the black dashes that highlight a selection
HATCH_COLOURS = {"estimated": "#d95f02", "confidential": "#7b3294", "partly": "#d95f02", "flagged": "#1b7837"}
# print maps: one hatch pattern per status, so the legend tells them apart in black and white
HATCH_PATTERNS = {"estimated": "////", "confidential": "xxxx", "partly": "....", "flagged": "\\\\\\\\"}


def _hatch(data: LayerData, rows: pd.DataFrame) -> LayerData:
    if "status" not in rows:
        return data
    status = rows["status"].to_numpy(dtype=object)
    marked = rows["status"].isin(list(HATCH_LABELS)).to_numpy(dtype=bool)
    data.hatched = pd.Series(status[marked], index=rows.index[marked], dtype=object)
    return data


def _category_rows(analysis, category: str) -> pd.DataFrame:
    """The stars table's rows of ``category``, indexed and sorted by region. Where each category's rows
    are is found once per table: a restyle scanned all 60,000 rows of a NUTS-3 table for one category."""
    from clustermapper.io.table import derived

    stars = analysis.stars
    at = derived(stars, "rows by category, by region", _rows_by_category).get(category, np.zeros(0, dtype="int64"))
    return stars.iloc[at].set_index("region")


def _rows_by_category(stars: pd.DataFrame) -> dict[str, np.ndarray]:
    category = stars["category"].to_numpy(dtype=object)
    order = np.lexsort((stars["region"].to_numpy(dtype=object).astype(str), category.astype(str)))
    codes, names = pd.factorize(category[order])
    bounds = np.flatnonzero(np.diff(codes)) + 1
    return {str(n): part for n, part in zip(names, np.split(order, bounds))}


def _label(analysis, category: str) -> str:
    try:
        return str(analysis.category_label(category))
    except (AttributeError, LookupError):
        return category


def _labels_of(analysis, codes: object) -> str:
    if not isinstance(codes, str) or not codes:
        return ""
    return "; ".join(_label(analysis, c) for c in codes.split(";") if c)


def _subtitle(analysis) -> str:
    spec = analysis.spec
    taxonomy = getattr(analysis.taxonomy, "name", None) or spec.taxonomy
    return f"{analysis.year}, NUTS {spec.level}, {taxonomy}; {spec.params.describe(plain=True)}"
