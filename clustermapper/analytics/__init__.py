"""Analyses built on one or more scored :class:`~clustermapper.analysis.Analysis` objects (changes over time,
method presets, sensitivity, indices, shift-share, linkages). Pure maths lives in :mod:`clustermapper.metrics`;
the modules here gather its inputs from the pipeline (other years, companion indicators) and shape the outputs.
"""
