"""NUTS regions: codes (``codes``), embedded boundaries and look-ups (``shapes``), the NUTS version of
each data year (``versions``), the analysis level with per-country overrides (``levels``), Eurostat-style
static cartography (``cartography``) and the optional GISCO download (``download``).

Nothing is imported here, so ``import clustermapper.regions.codes`` stays light.
"""
