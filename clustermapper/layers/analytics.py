"""Map layers of the analytics (change over time, relatedness density, ecosystem typology).

=============  ==========================================================================================
``change``     change class of one category between a base year and the analysis year
               (:mod:`clustermapper.metrics.change_classes`); regions whose change rests on a confidential,
               estimated or break-flagged cell are outlined like estimated cells
``density``    relatedness density of each region around one category (min-conditional proximity,
               :mod:`clustermapper.metrics.relatedness`); natural breaks
``sensitivity`` stars of one category that appear or disappear when a threshold moves (LQ cut 1.5/2/2.5, top
               share 5/10/20 %, minimum 500/1,000/2,000; :mod:`clustermapper.metrics.sensitivity`)
``typology``   the region's dominant industrial-ecosystem type (highest LQ among its types,
               :mod:`clustermapper.metrics.typology`); the 7 most frequent get Okabe-Ito colours
=============  ==========================================================================================
"""

from __future__ import annotations

import pandas as pd

from clustermapper.errors import UsageError
from clustermapper.layers import (
    NO_DATA_CLASS,
    OTHER_COLOUR,
    LayerData,
    _finish,
    _hatch,
    _tooltip,
    natural_breaks,
    qualitative,
    sequential_palette,
)

# Okabe-Ito, ordered from gain to loss: bluish green, blue, yellow, orange, reddish purple; pale for "no cluster"
CHANGE_COLOURS = {"emerging": "#009E73", "growing": "#0072B2", "stable": "#F0E442", "declining": "#E69F00",
                  "vanished": "#CC79A7"}  # reddish purple: the orange of "declining" and vermillion looked alike
NO_CLUSTER_LABEL = "Not a cluster in either year"
_CHANGE_CACHE: dict[tuple[int, int], tuple[object, object, pd.DataFrame]] = {}


def change_table(base, now) -> pd.DataFrame:
    """:func:`clustermapper.analytics.changes.changes` of the pair, kept for the last two pairs (category switches)."""
    from clustermapper.analytics.changes import changes

    key = (id(base), id(now))
    held = _CHANGE_CACHE.get(key)
    if held is None or held[0] is not base or held[1] is not now:
        if len(_CHANGE_CACHE) >= 2:
            _CHANGE_CACHE.pop(next(iter(_CHANGE_CACHE)))
        held = (base, now, changes(base, now))
        _CHANGE_CACHE[key] = held
    return held[2]


def change_layer(analysis, category: str, base) -> LayerData:
    from clustermapper.metrics.change_classes import CLASSES

    if base is None:
        raise UsageError("the change layer needs a base year: choose one (Analysis → Change since…)")
    table = change_table(base, analysis)
    rows = table[table["category"] == category].set_index("region")
    regions = pd.Index(sorted(set(analysis.stars["region"])))
    cls = rows["class"].reindex(regions)
    order = list(CLASSES)
    index = {c: i for i, c in enumerate(order)}
    none_class = len(order)
    classes = pd.Series([NO_DATA_CLASS if pd.isna(c) else index.get(str(c), none_class) for c in cls],
                        index=regions, dtype=int)
    palette = [CHANGE_COLOURS[c] for c in order] + [OTHER_COLOUR]
    legend = [(c.capitalize(), CHANGE_COLOURS[c]) for c in order] + [(NO_CLUSTER_LABEL, OTHER_COLOUR)]
    pct = rows["employment_change_pct"] * 100
    tooltip = _tooltip(analysis, regions, {
        "Change": cls.map(lambda c: c.capitalize() if isinstance(c, str) and c in index else
                          (NO_CLUSTER_LABEL if isinstance(c, str) else c)),
        f"Stars {base.year} → {analysis.year}": (rows["stars_base"].astype("Int64").astype(str) + " → "
                                                  + rows["stars_now"].astype("Int64").astype(str)).reindex(regions),
        "Employees, change (%)": pct.reindex(regions),
        "Growth per year, CAGR (%)": (rows["cagr"] * 100).reindex(regions),
        "Stars gained": rows["stars_gained"].replace("", pd.NA).reindex(regions),
        "Stars lost": rows["stars_lost"].replace("", pd.NA).reindex(regions),
        "Caution": rows["caution"].replace("", pd.NA).reindex(regions),
    })
    data = _finish("change", "Change", category, cls.astype(object), classes, palette, legend, tooltip)
    data.legend[-1] = ("No data in one of the two years (e.g. a NUTS code change)", data.legend[-1][1])
    # a change resting on hidden or break-flagged cells is never shown as a plain fact: outlined on the map
    estimated = rows["estimated"].fillna(False).astype(bool)
    hidden = rows["hidden_cell"].fillna(False).astype(bool) & ~estimated
    flagged = rows["break_flagged"].fillna(False).astype(bool) & ~estimated & ~hidden
    data.hatched = pd.concat([pd.Series(status, index=rows.index[mask], dtype=object) for status, mask in
                              (("estimated", estimated), ("confidential", hidden), ("flagged", flagged))])
    return data


_SENSITIVITY_CACHE: dict[int, tuple[object, object]] = {}
SENSITIVITY_COLOURS = ("#f7f4ea", "#fed98e", "#fe9929", "#cc4c02")  # ColorBrewer YlOrBr: 0, 1, 2, 3 stars


def sensitivity_of(analysis):
    """:func:`clustermapper.analytics.sensitivity.of_analysis`, kept for the last two analyses."""
    from clustermapper.analytics.sensitivity import of_analysis

    held = _SENSITIVITY_CACHE.get(id(analysis))
    if held is None or held[0] is not analysis:
        if len(_SENSITIVITY_CACHE) >= 2:
            _SENSITIVITY_CACHE.pop(next(iter(_SENSITIVITY_CACHE)))
        held = (analysis, of_analysis(analysis))
        _SENSITIVITY_CACHE[id(analysis)] = held
    return held[1]


def sensitivity_layer(analysis, category: str, base=None) -> LayerData:
    result = sensitivity_of(analysis)
    counts = result.region_counts([category]).set_index("region")
    rows = result.rows([category])
    regions = pd.Index(sorted(set(analysis.stars["region"])))
    has_data = analysis.stars[analysis.stars["category"] == category].set_index("region")["lq"].reindex(regions).notna()
    values = counts["n_dependent"].reindex(regions).fillna(0).clip(upper=3).where(has_data)
    classes = values.fillna(NO_DATA_CLASS).astype(int)
    legend = [("No star depends on a threshold", SENSITIVITY_COLOURS[0]), ("1 star depends on a threshold",
              SENSITIVITY_COLOURS[1]), ("2 stars depend on a threshold", SENSITIVITY_COLOURS[2]),
              ("3 stars depend on a threshold", SENSITIVITY_COLOURS[3])]
    # joined per region without groupby.apply: on no rows at all (every star of the category robust, 20 of the
    # 88 categories of the real 2014 file) apply returns an empty frame, not a series, and the layer failed
    dependent = rows[rows["class"] != "robust"]
    phrases = [f"{r} ({c.replace('-', ' ')}: {u})"
               for r, c, u in zip(dependent["rule"], dependent["class"], dependent["changed_under"])]
    which = pd.Series(phrases, index=dependent["region"].to_numpy(), dtype=object).groupby(level=0, sort=True).agg("; ".join)
    tooltip = _tooltip(analysis, regions, {
        "Stars that depend on a threshold": values.astype("Int64"),
        "Stars at the chosen thresholds": counts["n_stars_base"].reindex(regions).where(has_data).astype("Int64"),
        "Robust stars": counts["n_robust"].reindex(regions).where(has_data).astype("Int64"),
        "Which, and under which setting": which.reindex(regions),
    })
    data = _finish("sensitivity", "Threshold-dependent stars", category, values, classes, list(SENSITIVITY_COLOURS),
                   legend, tooltip)
    cells = analysis.stars[analysis.stars["category"] == category].set_index("region")
    return _hatch(data, cells)  # the category's own cell status, as on the stars layer


def density_layer(analysis, category: str, base=None) -> LayerData:
    from clustermapper.analytics.linkages import density_table

    table = density_table(analysis, categories=[category]).set_index("region")
    regions = pd.Index(sorted(set(analysis.stars["region"])))
    values = table["density"].reindex(regions).astype(float)
    classes, labels = natural_breaks(values)
    palette = sequential_palette("PuBuGn", len(labels))
    tooltip = _tooltip(analysis, regions, {
        "Relatedness density": values,
        "of which from estimated cells": table["density_on_estimates"].reindex(regions).where(
            table["density_on_estimates"].reindex(regions) > 0),
        "LQ in the category": table["lq"].reindex(regions),
        "Present (LQ ≥ 1)": table["present"].reindex(regions),
    })
    data = _finish("density", "Relatedness density", category, values, classes, palette,
                   list(zip(labels, palette)), tooltip)
    # outlined where estimated cells carry a real part of the value (a trace of them is everywhere)
    part = (table["density_on_estimates"] / table["density"]).reindex(regions)
    data.hatched = pd.Series("partly", index=regions[(part >= ESTIMATED_PART).to_numpy()], dtype=object)
    return data


ESTIMATED_PART = 0.25  # density layer: outline a region when estimated cells give at least this share of it


def typology_layer(analysis, category: str | None = None, base=None) -> LayerData:
    from clustermapper.analytics.typology import typology

    table = typology(analysis).set_index("region")
    regions = pd.Index(sorted(set(analysis.stars["region"])))
    dominant = table["dominant"].reindex(regions)
    labels = table["dominant_label"].reindex(regions)
    names = table.drop_duplicates("dominant").set_index("dominant")["dominant_label"]
    classes, palette, legend = qualitative(dominant, lambda c: names.get(c, c), "Other ecosystem")
    tooltip = _tooltip(analysis, regions, {
        "Dominant ecosystem": labels, "Its LQ": table["dominant_lq"].reindex(regions),
        "Ecosystem types": table["types"].reindex(regions), "Number of types": table["n_types"].reindex(regions),
        "Types resting on estimates": table["types_on_estimates"].reindex(regions).replace("", pd.NA),
    })
    data = _finish("typology", "Ecosystem type", None, dominant.astype(object), classes, palette, legend, tooltip)
    # outlined when the dominant type itself rests on estimated cells
    shaky = [isinstance(d, str) and d in str(s).split(";")
             for d, s in zip(dominant, table["types_on_estimates"].reindex(regions).fillna(""))]
    data.hatched = pd.Series("partly", index=regions[shaky], dtype=object)
    return data
