"""Embedded NUTS boundaries (data only; installed as ``clustermapper.nuts_shapes``, rebuilt by ``build.py``)."""
