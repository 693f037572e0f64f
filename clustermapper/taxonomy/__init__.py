"""Taxonomies: categories of NACE codes, their aggregation of a tidy table, and regional totals.

Public names: :func:`load_taxonomy`, :class:`Taxonomy`, :func:`region_totals`, :class:`Coverage`.
"""

from clustermapper.taxonomy.codes import normalise_code
from clustermapper.taxonomy.coverage import Coverage
from clustermapper.taxonomy.loaders import BUILTINS, load_taxonomy
from clustermapper.taxonomy.model import Category, Taxonomy
from clustermapper.taxonomy.totals import region_totals

__all__ = ["BUILTINS", "Category", "Coverage", "Taxonomy", "load_taxonomy", "normalise_code", "region_totals"]
