"""Opening an input file: decompression by magic bytes, text decoding, and the head used for sniffing.

The file is read once into memory (inputs are at most tens of MB) and never written to. Hostile inputs are
refused before they cost memory: only regular files are opened (a FIFO would block, ``/dev/zero`` never ends),
and both the file and its decompressed content are capped (:func:`max_input_bytes`).
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from clustermapper.errors import InputError, UsageError, quote

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other MS compound files)
HEAD_BYTES = 64 * 1024
MAX_INPUT_ENV = "CLUSTERMAPPER_MAX_INPUT_MB"
DEFAULT_MAX_INPUT_MB = 2048
# A Eurostat cell is a number and a few flag letters; longer cells are refused with their place, because
# numpy turns one long string into a fixed-width array as wide as the longest cell (``astype(str)``).
MAX_CELL_CHARS = 1000
MAX_FLAG_CHARS = 32


@dataclass
class Source:
    """An input file's bytes (decompressed) plus what we learnt while opening it."""

    path: Path
    data: bytes
    gzipped: bool = False
    notes: list[str] = field(default_factory=list)
    _not_utf8: bool = field(default=False, init=False, repr=False)  # the whole text was read as Windows-1252

    @property
    def is_zip(self) -> bool:
        return self.data.startswith(ZIP_MAGIC)

    @cached_property
    def text(self) -> str:
        """The whole file as text, newlines normalised to ``\\n``.

        UTF-8 (with or without BOM) first; UTF-16 or UTF-32 when it has a BOM (Excel "Unicode text");
        otherwise Windows-1252, which is what spreadsheet exports in Western Europe use.
        """
        return _normalise_newlines(self._decode(self.data, whole=True))

    def text_bytes(self) -> bytes:
        """:attr:`text` encoded as UTF-8: the file's own bytes when they are exactly that (UTF-8 without a byte
        order mark or carriage returns), which spares a copy of a big file."""
        text = self.text  # decoded first: that is what tells UTF-8 from Windows-1252
        data = self.data
        plain = not self._not_utf8 and unicode_bom(data) is None and not data.startswith(b"\xef\xbb\xbf")
        return data if plain and b"\r" not in data else text.encode("utf-8")

    def forget_text(self) -> None:
        """Drop the decoded :attr:`text` and :attr:`lines` (rebuilt from :attr:`data` if asked for again): a
        reader done with them frees their memory while it builds the table (145 MB for a 145 MB CSV)."""
        self.__dict__.pop("text", None)
        self.__dict__.pop("lines", None)

    @cached_property
    def lines(self) -> list[str]:
        """The text split into lines (line ``n`` of an editor is ``lines[n - 1]``)."""
        return self.text.split("\n")

    @cached_property
    def head(self) -> str:
        """The first 64 KB as text, for detectors; never raises."""
        try:
            return _normalise_newlines(self._decode(self.data[:HEAD_BYTES], whole=False))
        except InputError:
            return ""

    @cached_property
    def head_lines(self) -> list[str]:
        lines = self.head.split("\n")
        if len(self.data) > HEAD_BYTES:
            lines = lines[:-1]  # the last one may be cut in the middle
        return lines

    def _decode(self, data: bytes, whole: bool) -> str:
        encoding = unicode_bom(data)
        if encoding is not None:
            try:
                return data.decode(encoding, errors="strict" if whole else "replace")
            except UnicodeDecodeError as exc:
                name = encoding.upper()
                raise InputError(self.path, f"starts like {name} text but byte {exc.start} is not {name}",
                                 line=None if not whole else data[: exc.start].decode(encoding, "replace").count("\n") + 1,
                                 column=1, hint="save the file again as UTF-8 CSV") from None
        reject_binary(self.path, data)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if not whole and exc.start > len(data) - 4:
                return data[: exc.start].decode("utf-8-sig")  # a character cut by the 64 KB limit
            text = data.decode("cp1252", errors="replace")
            if whole:
                self._not_utf8 = True
                line = data[: exc.start].count(b"\n") + 1
                self.notes.append(f"not UTF-8 (first non-UTF-8 byte on line {line}); read as Windows-1252")
            return text


def max_input_bytes() -> int:
    """The cap on an input file's size and on its decompressed size: ``CLUSTERMAPPER_MAX_INPUT_MB`` or 2 GB."""
    text = os.environ.get(MAX_INPUT_ENV, "").strip()
    if not text:
        return DEFAULT_MAX_INPUT_MB * 1024 * 1024
    try:
        mb = float(text)
    except ValueError:
        mb = float("nan")
    if not mb > 0 or mb == float("inf"):
        raise UsageError(f"{MAX_INPUT_ENV}={quote(text)} is not a positive number of megabytes")
    return int(mb * 1024 * 1024)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:,.1f} KB"


def check_regular_file(path: Path, hint: str) -> os.stat_result:
    """``stat`` without opening: folders, devices (``/dev/zero``), FIFOs and sockets are refused up front."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(path, "file not found", hint="check the path") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a folder, not a data file", hint=hint)
    if not stat.S_ISREG(info.st_mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else
                "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
        raise InputError(path, f"is {kind}, not a regular file", hint=hint)
    return info


def read_capped(path: Path, hint: str, limit: int | None = None) -> bytes:
    """The bytes of a regular file no larger than ``limit`` (default :func:`max_input_bytes`, set by the user)."""
    tip = "use a smaller file" if limit is not None else f"use a smaller extract, or raise the limit with {MAX_INPUT_ENV}"
    limit = max_input_bytes() if limit is None else limit
    info = check_regular_file(path, hint)
    if info.st_size > limit:
        raise InputError(path, f"is {_mb(info.st_size)}, more than the {_mb(limit)} limit", hint=tip)
    try:
        with open(path, "rb") as fh:
            raw = _read_limited(fh, limit)  # the file may have grown since stat
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    if len(raw) > limit:
        raise InputError(path, f"is more than the {_mb(limit)} limit", hint=tip)
    return raw


_OPEN_HINT = "choose a .tsv, .tsv.gz, .csv or .xlsx file"
_SHARED = threading.local()  # per thread: the app prepares analyses in worker threads
SHARE_MAX_BYTES = 256 * 1024 * 1024  # a larger file is opened again: holding it would double the peak memory


@contextmanager
def sharing_sources() -> Iterator[None]:
    """Within the block, opening a file that is unchanged since it was opened in the block (same device,
    inode, size and modification time) reuses its decompressed bytes and split lines: the estimate of
    confidential cells reads the same Eurostat file for three indicators. Nothing is kept after the block."""
    outer = getattr(_SHARED, "sources", None)
    if outer is not None:  # nested: the outer block keeps them
        yield
        return
    _SHARED.sources = {}
    try:
        yield
    finally:
        _SHARED.sources = None


def open_source(path: str | Path) -> Source:
    """Read ``path`` into a :class:`Source`, decompressing gzip (detected by its magic bytes)."""
    path = Path(path)
    shared = getattr(_SHARED, "sources", None)
    if shared is None:
        return _open_source(path)
    info = check_regular_file(path, _OPEN_HINT)
    key = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    source = shared.get(key)
    if source is None or source.path != path:
        source = _open_source(path)
        if len(source.data) <= SHARE_MAX_BYTES:
            shared[key] = source
    return source


def _open_source(path: Path) -> Source:
    limit = max_input_bytes()
    raw = read_capped(path, _OPEN_HINT)
    gzipped = raw.startswith(GZIP_MAGIC)
    if gzipped:
        raw = _gunzip(path, raw, limit)
    if not raw.strip():
        raise InputError(path, "file is empty" + (" after decompression" if gzipped else ""), line=1, column=1,
                         hint="choose the file that holds the data")
    if raw.startswith(OLE_MAGIC):
        raise InputError(path, "is a legacy Excel .xls (or other binary Office) file, which is not supported",
                         line=1, column=1, hint="open it in a spreadsheet and save it as .xlsx or CSV")
    if not raw.startswith(ZIP_MAGIC) and unicode_bom(raw) is None:
        reject_binary(path, raw)
    return Source(path=path, data=raw, gzipped=gzipped)


def _read_limited(fh: io.BufferedIOBase, limit: int, chunk: int = 16 * 1024 * 1024) -> bytes:
    """At most ``limit + 1`` bytes, in chunks: ``read(limit + 1)`` would reserve the whole limit up front."""
    parts: list[bytes] = []
    total = 0
    while total <= limit:
        part = fh.read(min(chunk, limit + 1 - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _gunzip(path: Path, raw: bytes, limit: int) -> bytes:
    """Decompress in a stream that stops past ``limit``: a 2 MB gzip bomb may expand to terabytes."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as fh:
            data = _read_limited(fh, limit)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(
            path, f"looks gzip-compressed but cannot be decompressed ({exc})", line=1, column=1,
            hint="the download is probably incomplete or damaged: download it again",
        ) from None
    if len(data) > limit:
        raise InputError(path, f"decompresses to more than the {_mb(limit)} limit ({_mb(len(raw))} compressed)",
                         line=1, column=1,
                         hint=f"check that this is the intended file, or raise the limit with {MAX_INPUT_ENV}")
    return data


def unicode_bom(data: bytes) -> str | None:
    """The codec named by a UTF-32 or UTF-16 byte order mark (UTF-32 first: its LE mark starts like UTF-16's)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return None


def _bomless_unicode(probe: bytes) -> str | None:
    """UTF-16/UTF-32 text saved without a byte order mark: mostly-ASCII text has a NUL at fixed offsets."""
    for name, width in (("UTF-32", 4), ("UTF-16", 2)):
        if len(probe) < 2 * width:
            continue
        body = probe[: len(probe) - len(probe) % width]
        zero = [body[k::width].count(0) / (len(body) // width) for k in range(width)]
        if sum(z > 0.9 for z in zero) == width - 1 and min(zero) < 0.5:
            order = "little-endian" if zero[0] < 0.5 else "big-endian"
            return f"{name} {order}"
    return None


DATA_HINT = "choose a Eurostat .tsv/.tsv.gz, an SDMX-CSV, a CSV/TSV or an .xlsx file"


def reject_binary(path: Path, data: bytes, hint: str = DATA_HINT) -> None:
    """Text files have no NUL bytes and few control characters: refuse anything else early."""
    probe = data[:HEAD_BYTES]
    pos = probe.find(b"\x00")
    encoding = _bomless_unicode(probe) if pos >= 0 else None
    if encoding is not None:
        raise InputError(path, f"is {encoding} text without a byte order mark (readable: UTF-8, or UTF-16 and "
                         "UTF-32 with one)", line=1, column=1, hint="save it again as UTF-8")
    if pos < 0:
        controls = sum(probe.count(bytes([c])) for c in range(32) if c not in (9, 10, 13, 12))
        if controls <= max(2, len(probe) // 100):
            return
        pos = next(i for i, b in enumerate(probe) if b < 32 and b not in (9, 10, 13, 12))
    line_start = probe.rfind(b"\n", 0, pos) + 1
    raise InputError(
        path, "is a binary file, not text (control bytes found)",
        line=probe[:pos].count(b"\n") + 1, column=pos - line_start + 1,
        hint=hint,
    )


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
