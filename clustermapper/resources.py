"""Files shipped inside the installed package, found through ``importlib.resources`` (never ``__file__``).

The same calls work from a checkout (editable install), a wheel, or a zip import; a resource that is not a
plain file on disk (zip import) is extracted once and kept until the process exits.
"""

from __future__ import annotations

import atexit
import contextlib
from functools import cache
from importlib import resources
from pathlib import Path

from clustermapper import demo

_EXTRACTED = contextlib.ExitStack()
atexit.register(_EXTRACTED.close)

DEMO = ("clustermapper", demo.FILE)
NUTS = "clustermapper.nuts_shapes"
TAXONOMIES = "clustermapper.taxonomy"
WEB_JS = "clustermapper.render"


@cache
def resource_path(package: str, name: str) -> Path:
    """A real file-system path to ``name`` (``/``-separated) inside ``package``."""
    traversable = resources.files(package).joinpath(*name.split("/"))
    return Path(_EXTRACTED.enter_context(resources.as_file(traversable)))


def resource_text(package: str, name: str) -> str:
    return resources.files(package).joinpath(*name.split("/")).read_text(encoding="utf-8")
