"""Offline web assets: Leaflet from the ``xstatic-leaflet`` package and our own map script.

Leaflet's unmodified release files (``leaflet.js``, ``leaflet.css`` and its images) come from the PyPI
package ``XStatic-Leaflet`` (XStatic packaging standard, no dependencies), so nothing is hand-copied into
the repository and nothing is fetched from a CDN. The images the CSS refers to are inlined as
``data:`` URIs so a page built from these strings is one self-contained file.
"""

from __future__ import annotations

import base64
import re
from functools import cache, lru_cache
from html.parser import HTMLParser
from pathlib import Path

from clustermapper.resources import WEB_JS, resource_text

_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""", re.IGNORECASE)


def _xstatic_dir() -> Path:
    try:
        import xstatic.pkg.leaflet as xleaflet
    except ImportError as exc:  # a dependency of the project: say what to install
        raise ImportError("the offline map needs Leaflet from PyPI: pip install XStatic-Leaflet") from exc
    return Path(xleaflet.BASE_DIR)


def leaflet_version() -> str:
    """Version of the Leaflet release bundled by ``xstatic-leaflet``."""
    import xstatic.pkg.leaflet as xleaflet

    return str(xleaflet.VERSION)


@lru_cache(maxsize=1)
def leaflet_js() -> str:
    """Leaflet's minified script, as text."""
    return (_xstatic_dir() / "leaflet.js").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def leaflet_css() -> str:
    """Leaflet's stylesheet with ``url(images/...)`` replaced by ``data:`` URIs."""
    base = _xstatic_dir()
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        image = base / "images" / match.group(1)
        payload = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{payload})"

    return re.sub(r"url\(\s*images/([\w.-]+\.png)\s*\)", inline, css)


@cache
def script(name: str) -> str:
    """One of our own scripts in ``render/js`` (e.g. ``cm_map.js``)."""
    return resource_text(WEB_JS, f"js/{name}")


class _AssetScanner(HTMLParser):
    """Collects what a browser would load: src/href of tags and url() in <style> (script text skipped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "data", "poster", "srcset") and value:
                self.urls.append(value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls.extend(m.strip() for m in _CSS_URL.findall(data))


def external_urls(html: str) -> list[str]:
    """Assets ``html`` would load from the network: http(s) or protocol-relative ``src``/``href``/``url()``.

    Script text is not scanned: a link inside a JS string (Leaflet's own credit) is not an asset.
    """
    scanner = _AssetScanner()
    scanner.feed(html)
    scanner.close()
    return [u for u in scanner.urls if re.match(r"^(https?:)?//", u, re.IGNORECASE)]
