"""Optional, explicit download of NUTS versions that are not embedded (e.g. NUTS 2024) from GISCO.

Nothing here runs at import or start-up: only ``download_gisco`` (the ``clustermapper regions download``
command) touches the network. Files land in the user cache (``CLUSTERMAPPER_CACHE``, else
``$XDG_CACHE_HOME/clustermapper`` or ``~/.cache/clustermapper``; ``%LOCALAPPDATA%`` on Windows) as
``nuts/NUTS_RG_10M_<version>_4326_LEVL_<level>.geojson`` and are then loaded offline like embedded ones.
"""

from __future__ import annotations

import functools
import os
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from clustermapper.errors import InputError, UsageError

if TYPE_CHECKING:  # geopandas loads only when a downloaded version is read
    import geopandas as gpd

GISCO_URL = "https://gisco-services.ec.europa.eu/distribution/v2/nuts/geojson/"
FILE = "NUTS_RG_{scale}_{version}_4326_LEVL_{level}.geojson"
_FILE_RE = re.compile(r"^NUTS_RG_10M_(\d{4})_4326_LEVL_([0-3])\.geojson$")
COLUMNS = ["NUTS_ID", "LEVL_CODE", "CNTR_CODE", "NAME_LATN", "NUTS_NAME"]


def cache_dir() -> Path:
    """Where downloaded boundaries are kept."""
    env = os.environ.get("CLUSTERMAPPER_CACHE")
    if env:
        base = Path(env)
    elif os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"]) / "clustermapper"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "clustermapper"
    return base / "nuts"


def cached_file(version: int, level: int) -> Path:
    return cache_dir() / FILE.format(scale="10M", version=int(version), level=int(level))


def cached_versions() -> list[int]:
    """Versions with at least one downloaded level."""
    d = cache_dir()
    if not d.is_dir():
        return []
    return sorted({int(m.group(1)) for p in d.iterdir() if (m := _FILE_RE.match(p.name))})


def download_gisco(version: int, level: int, base_url: str | None = None, timeout: float = 60.0) -> Path:
    """Fetch one version/level (1:10M, EPSG:4326 GeoJSON) from GISCO into the cache; returns the path.

    Raises :class:`UsageError` with a clear message when offline or when GISCO has no such file.
    """
    url = (base_url or os.environ.get("CLUSTERMAPPER_GISCO_URL") or GISCO_URL).rstrip("/") + "/" + \
        FILE.format(scale="10M", version=int(version), level=int(level))
    import urllib.error  # here: urllib with http, ssl and email takes 13 ms to import, and runs need the cache only
    import urllib.request

    target = cached_file(version, level)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = response.read()
    except urllib.error.HTTPError as exc:
        raise UsageError(f"GISCO has no NUTS {version} level {level} file ({url}: HTTP {exc.code})") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UsageError(f"could not download NUTS {version} level {level} from {url}: {reason}. "
                         "This needs an internet connection; the embedded versions "
                         "2003–2021 work offline.") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    tmp.write_bytes(data)
    try:
        _read(tmp)  # never keep a file that does not load
    except InputError:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, target)
    _read_cached.cache_clear()
    from clustermapper.regions import shapes

    shapes._load.cache_clear()  # the new file replaces whatever this process loaded before
    shapes.codes_of.cache_clear()
    return target


def _read(path: Path) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import shapely

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:
        raise InputError(path, f"not a readable GeoJSON boundary file: {exc}",
                         hint="delete it and download again") from None
    missing = [c for c in ("NUTS_ID", "LEVL_CODE", "CNTR_CODE") if c not in gdf.columns]
    if missing:
        raise InputError(path, "missing NUTS columns", column=missing[0], hint="delete it and download again")
    for col in ("NAME_LATN", "NUTS_NAME"):
        if col not in gdf.columns:
            gdf[col] = gdf["NAME_LATN" if "NAME_LATN" in gdf.columns else "NUTS_ID"]
    gdf = gdf.set_crs("EPSG:4326", allow_override=True) if gdf.crs is None else gdf.to_crs("EPSG:4326")
    gdf["LEVL_CODE"] = gdf["LEVL_CODE"].astype("int64")
    gdf = gdf[COLUMNS + ["geometry"]].copy()
    gdf["geometry"] = shapely.make_valid(gdf.geometry.values)
    return gdf.sort_values("NUTS_ID").reset_index(drop=True)


@functools.lru_cache(maxsize=16)
def _read_cached(path_text: str) -> gpd.GeoDataFrame:
    return _read(Path(path_text))


def load_cached(version: int, level: int) -> gpd.GeoDataFrame:
    """A downloaded version/level; a clear :class:`UsageError` telling how to get it when absent."""
    path = cached_file(version, level)
    if not path.exists():
        from clustermapper.regions.shapes import EMBEDDED_VERSIONS

        embedded = ", ".join(map(str, EMBEDDED_VERSIONS))
        raise UsageError(f"NUTS {version} level {level} is not embedded (embedded: {embedded}) and not "
                         f"downloaded; run `clustermapper regions download --version {version} --level {level}` "
                         f"once while online")
    return _read_cached(str(path))


def cached_name(code: str) -> str | None:
    """Name of a code found only in downloaded versions (newest first); None when absent."""
    for version in reversed(cached_versions()):
        for level in range(4):
            path = cached_file(version, level)
            if path.exists():
                gdf = _read_cached(str(path))
                hit = gdf.loc[gdf["NUTS_ID"] == code, "NAME_LATN"]
                if len(hit):
                    return str(hit.iloc[0])
    return None
