"""Make the embedded demo, a reduced extract of Eurostat's regional SBS file ``sbs_r_nuts06_r2.tsv.gz``.

Kept: indicators V16110 (persons employed), V11210 (local units), V13320 (wages and salaries); countries,
NUTS 1 and NUTS 2 regions (no extra-regio ``..Z``/``..ZZ`` codes; note Czechia's country code ``CZ``
ends in Z too); NACE sections (one letter) and divisions (letter + two digits), no groups (``G451``);
every year. Lines are copied byte for byte, in Eurostat's order, under Eurostat's own header, so the
extract has the layout and flags of the original and the same reader reads it.

Output: ``clustermapper/data/demo_sbs_r_nuts06_r2.tsv.gz`` (gzip without name or time stamp, so the same
input gives the same bytes) and ``clustermapper/data/README.md`` (source and licence line).

Run ``python resources/demo/make_real_demo.py [--source FILE] [--check]``; ``--check`` exits 1 if the
committed extract differs from what the source file gives.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(REPO))

from clustermapper import demo  # noqa: E402
from clustermapper.regions.codes import is_region_code, nuts_level  # noqa: E402

SOURCE = REPO.parent / "shared" / "data" / "eurostat" / f"{demo.DATASET}.tsv.gz"
OUT = REPO / "clustermapper" / demo.FILE
README = OUT.parent / "README.md"
NACE = re.compile(r"^[A-Z](\d\d)?$")  # a section or a division; groups (G451) are left out


def keep(key: str) -> bool:
    """Whether the line with row key ``nace_r2,indic_sb,geo`` belongs in the demo."""
    nace, indicator, geo = key.split(",")
    return (indicator in demo.INDICATORS and bool(NACE.match(nace))
            and is_region_code(geo) and nuts_level(geo) in demo.LEVELS)


def extract_text(source: Path) -> str:
    """The extract as text: the header and every kept line, unchanged and in the source's order."""
    with gzip.open(source, "rt", encoding="utf-8", newline="") as fh:
        header = fh.readline()
        if not header.startswith("nace_r2,indic_sb,geo\\time\t"):
            raise SystemExit(f"{source}:1:1: not Eurostat's regional SBS TSV (header {header[:40]!r})")
        return header + "".join(line for line in fh if keep(line.split("\t", 1)[0]))


def compress(text: str) -> bytes:
    """gzip with no file name and time stamp 0: identical input, identical bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    return buffer.getvalue()


def readme_text(text: str) -> str:
    lines = text.count("\n") - 1
    return (f"# Embedded demo data\n\n"
            f"`{Path(demo.FILE).name}`: {demo.SOURCE}.\n\n"
            f"A reduced extract ({lines:,} lines) made by `resources/demo/make_real_demo.py`: indicators "
            f"{', '.join(demo.INDICATORS)}; countries, NUTS 1 and NUTS 2 regions; NACE Rev. 2 sections and "
            f"divisions; every year of the source. Lines are Eurostat's own, unchanged (values and flags).\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help=f"the Eurostat file (default {SOURCE})")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="only compare with the committed extract")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"{args.source}: not found; pass --source with Eurostat's {demo.DATASET}.tsv.gz", file=sys.stderr)
        return 2
    text = extract_text(args.source)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    readme = args.out.parent / "README.md"
    if args.check:
        same = (args.out.is_file() and gzip.decompress(args.out.read_bytes()).decode("utf-8") == text
                and readme.is_file() and readme.read_text(encoding="utf-8") == readme_text(text))
        print(f"{args.out}: {'up to date' if same else 'DIFFERS from the extract of ' + str(args.source)} ({digest})")
        return 0 if same else 1
    from clustermapper.fileutil import atomic_write

    data = compress(text)
    with atomic_write(args.out, "wb") as fh:
        fh.write(data)
    with atomic_write(readme, newline="") as fh:
        fh.write(readme_text(text))
    for path in (args.out, readme):
        path.chmod(0o644)  # atomic_write's temporary file is private; package data is readable by all
    print(f"wrote {args.out} ({text.count(chr(10)) - 1} lines, {len(data) / 1e6:.2f} MB, sha256 of text {digest}…)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
