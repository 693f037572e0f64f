"""ClusterMapper core library: read -> validate -> taxonomy -> metrics -> layers -> render/export.

This package never imports Qt; the desktop app lives in ``ui/``.
"""

__version__ = "0.1.0"
