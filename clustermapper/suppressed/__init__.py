"""Confidential (suppressed) cells: their status, the bounds published totals imply, and the policies
that fill them (``zero``, ``exclude``, ``eco-split``, ``estimate``) before the taxonomy aggregates."""

from clustermapper.suppressed.policy import FILLED_COLUMNS, POLICY_LABELS, FillSummary, check_policy, fill

__all__ = ["FILLED_COLUMNS", "POLICY_LABELS", "FillSummary", "check_policy", "fill"]
