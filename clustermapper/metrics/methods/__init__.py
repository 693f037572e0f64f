"""Star-method presets (``eco2008``, ``eocic``, ``uscmp``, ``growth``): definitions in :mod:`.registry`,
percentile maths in :mod:`.percentiles`, the per-cell audit table in :mod:`.scoring`."""

from clustermapper.metrics.methods.preset import AUDIT_FIELDS, Method, MethodParams, Rule, Threshold
from clustermapper.metrics.methods.registry import DEFAULT_METHOD, METHODS, get_method, method_params, parse_assignments

__all__ = ["AUDIT_FIELDS", "DEFAULT_METHOD", "METHODS", "Method", "MethodParams", "Rule", "Threshold", "get_method",
           "method_params", "parse_assignments"]
