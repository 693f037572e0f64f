"""Built-in taxonomies and user taxonomy files (CSV, YAML)."""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

from clustermapper.errors import InputError, UsageError, quote
from clustermapper.io.nace_list import division_sections, nace_titles
from clustermapper.io.source import read_capped, reject_binary, unicode_bom
from clustermapper.resources import TAXONOMIES, resource_path
from clustermapper.taxonomy.codes import expand_range, is_nace_code
from clustermapper.taxonomy.model import Category, Taxonomy

TAXONOMY_SUFFIXES = (".csv", ".tsv", ".txt", ".yaml", ".yml")
# Real taxonomies have tens of categories and a few hundred codes; these caps refuse generated files before
# they cost minutes (20,000 categories took 2 minutes and 2 GB downstream).
MAX_TAXONOMY_BYTES = 16 * 1024 * 1024
MAX_CATEGORIES = 5000
MAX_CODES = 100_000
MAX_YAML_EVENTS = 500_000

BUILTINS = {
    "nace-divisions": "every NACE Rev. 2 division (88) as its own category",
    "industrial-ecosystems": "the EU's 14 industrial ecosystems, approximated by whole NACE divisions",
    "emerging-industries": "the EOCIC's 10 emerging industries as groups of whole NACE divisions (an example "
                           "group file)",
}


def load_taxonomy(name_or_path: str | Path) -> Taxonomy:
    """A built-in taxonomy by name, or a user file (``.csv`` / ``.yaml`` / ``.yml``).

    A group file (YAML ``groups:``, CSV ``group,label,categories``: groups of a base taxonomy's categories,
    see :mod:`clustermapper.taxonomy.groups`) gives the taxonomy of its groups.
    Raises ``UsageError`` for an unknown name and ``InputError`` (file, line, column) for a bad file.
    """
    return _load(name_or_path, groups=True)


def _load(name_or_path: str | Path, groups: bool) -> Taxonomy:
    text = str(name_or_path)
    if text in BUILTINS:
        return _builtin(text)
    path = Path(text)
    suffix = path.suffix.lower()
    if suffix not in TAXONOMY_SUFFIXES or not path.exists():
        names = "; ".join(f"{k} ({v})" for k, v in BUILTINS.items())
        what = "no such file" if suffix in TAXONOMY_SUFFIXES else "unknown taxonomy"
        raise UsageError(f"{what}: {quote(text)}. Built-in taxonomies: {names}; or give a CSV/YAML file")
    raw = read_capped(path, "give a CSV or YAML taxonomy file", MAX_TAXONOMY_BYTES)
    encoding = unicode_bom(raw)
    if encoding is None:
        reject_binary(path, raw, "give a CSV or YAML taxonomy file")  # NUL bytes pass as UTF-8: a UTF-16 file without BOM read as codes
    try:
        content = raw.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                         hint="save the file as UTF-8") from None
    content = content.replace("\r\n", "\n").replace("\r", "\n")  # as read_text's universal newlines did
    if suffix in (".yaml", ".yml"):
        return parse_yaml(content, path, groups)
    return parse_csv(content, path, groups)


def _base_loader(name_or_path: str) -> Taxonomy:
    return _load(name_or_path, groups=False)


@cache
def _builtin(name: str) -> Taxonomy:
    if name == "nace-divisions":
        return nace_divisions()
    if name == "emerging-industries":
        path = resource_path(TAXONOMIES, "data/emerging_industries.yaml")
        tax = parse_yaml(path.read_text(encoding="utf-8"), path)
        return Taxonomy(id=name, name=tax.name, items=tax.items, source=tax.source, notes=tax.notes)
    path = resource_path(TAXONOMIES, "data/industrial_ecosystems.csv")
    tax = parse_csv(path.read_text(encoding="utf-8"), path)
    return Taxonomy(
        id=name,
        name="EU industrial ecosystems (division-level approximation)",
        items=tax.items,
        source="ClusterMapper mapping of the 14 ecosystems of the EU Industrial Strategy (2021 update) "
               "to whole NACE Rev. 2 divisions; see docs/taxonomies.md",
        notes="Approximation: the Commission's definition weights divisions shared by several ecosystems; "
              "here each division belongs to at most one ecosystem and 19 divisions to none.",
    )


def nace_divisions() -> Taxonomy:
    titles = nace_titles()
    items = tuple(Category(code, title, (code,)) for code, title in titles.items() if len(code) == 3)
    return Taxonomy(
        id="nace-divisions",
        name="NACE Rev. 2 divisions",
        items=items,
        source="Statistical classification of economic activities NACE Rev. 2 (Eurostat, 2008)",
        notes="One category per division; categories without data are reported in the coverage.",
    )


def _codes(field: str, path: Path, line: int | None, column: str | int | None) -> list[str]:
    """Split a codes cell on ``;``, ``,`` or ``|``; expand ``C10-C12`` ranges; validate each code."""
    out: list[str] = []
    for part in field.replace("|", ";").replace(",", ";").split(";"):
        if not part.strip():
            continue
        try:
            codes = expand_range(part)
        except ValueError as exc:
            raise InputError(path, str(exc), line, column) from None
        for code in codes:
            if not is_nace_code(code):
                raise InputError(path, f"{quote(part.strip())} is not a NACE code", line, column,
                                 hint="use a section letter plus digits, like C, C29 or C29.1")
            problem = _not_in_nace(code)
            if problem:  # well-formed but absent: X99 or C01 matched nothing and the category stayed empty
                raise InputError(path, f"{quote(part.strip())} is not a NACE Rev. 2 code: {problem}", line, column,
                                 hint="sections are A to U, each with its own divisions (C10-C33, G45-G47, …)")
            out.append(code)
    return out


def _not_in_nace(code: str) -> str | None:
    """Why a well-formed code names no NACE Rev. 2 activity (the embedded list reaches divisions; a group or
    class is checked through its division), or None."""
    sections = division_sections()
    if code[0] not in nace_titles():
        return f"there is no section {code[0]}"
    if not any(f"{letter}{digits}".startswith(code[:3]) for digits, letter in sections.items()):
        owner = sections.get(code[1:3])
        where = f" (division {code[1:3]} is in section {owner})" if owner else ""
        return f"section {code[0]} has no division {code[1:3] if len(code) > 2 else code[1:] + '…'}{where}"
    return None


def _build(categories: dict[str, dict], path: Path, name: str, source: str = "", notes: str = "") -> Taxonomy:
    if not categories:
        raise InputError(path, "no categories defined", hint="add at least one category with its NACE codes")
    items: list[Category] = []
    for cid, c in categories.items():
        first: dict[str, str] = {}
        for code, basis in zip(c["codes"], c["basis"]):
            first.setdefault(code, basis)  # a repeated code keeps its first basis
        basis = tuple(first.values()) if any(first.values()) else ()
        items.append(Category(cid, c["label"] or cid, tuple(first), basis))
    return Taxonomy(id=path.stem, name=name or path.stem, items=tuple(items), source=source or str(path), notes=notes)


def parse_csv(text: str, path: Path, groups: bool = True) -> Taxonomy:
    """``category,label,codes[,basis]``; codes ``;``-separated, or one row per code (label may repeat)."""
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = "\t" if "\t" in first else ("," if "," in first else ";")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError(path, "the file is empty", 1, hint="first line: category,label,codes") from None
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}", 1, hint=_QUOTE_HINT) from None
    if "group" in header and "codes" not in header:
        from clustermapper.taxonomy.groups import groups_from_csv, refuse_nested

        if not groups:
            raise refuse_nested(path)
        try:
            return groups_from_csv(reader, header, path, _base_loader)
        except csv.Error as exc:
            raise InputError(path, f"malformed CSV: {exc}", reader.line_num, hint=_QUOTE_HINT) from None
    for needed in ("category", "codes"):
        if needed not in header:
            raise InputError(path, f"no {quote(needed)} column in the header ({', '.join(map(quote, header[:12]))})", 1,
                             hint="first line: category,label,codes")
    col = {name: header.index(name) for name in ("category", "label", "codes", "basis") if name in header}
    categories: dict[str, dict] = {}
    n_codes = 0
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(header):
                row = row + [""] * (len(header) - len(row))
            cid = row[col["category"]].strip()
            if not cid:
                raise InputError(path, "empty category id", line, "category")
            label = row[col["label"]].strip() if "label" in col else ""
            codes = _codes(row[col["codes"]], path, line, "codes")
            if not codes:
                raise InputError(path, f"category {quote(cid)} has no codes on this line", line, "codes")
            if cid not in categories:
                check_size(path, len(categories) + 1, n_codes, line)
            n_codes += len(codes)
            entry = categories.setdefault(cid, {"label": label, "codes": [], "basis": []})
            if label and entry["label"] and label != entry["label"]:
                raise InputError(path, f"category {quote(cid)} has two labels: {quote(entry['label'])} and {quote(label)}",
                                 line, "label")
            entry["label"] = entry["label"] or label
            entry["codes"].extend(codes)
            entry["basis"].extend([row[col["basis"]].strip() if "basis" in col else ""] * len(codes))
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}", reader.line_num, hint=_QUOTE_HINT) from None
    check_size(path, len(categories), n_codes, None)
    return _build(categories, path, path.stem)


_QUOTE_HINT = 'a quote that never closes swallows the lines after it: close it, or double quotes inside one ("")'


def check_size(path: Path, n_categories: int, n_codes: int, line: int | None) -> None:
    if n_categories > MAX_CATEGORIES:
        raise InputError(path, f"more than {MAX_CATEGORIES:,} categories", line,
                         hint="a taxonomy groups sectors into tens or hundreds of clusters: check that this is one")
    if n_codes > MAX_CODES:
        raise InputError(path, f"more than {MAX_CODES:,} NACE codes in all", line,
                         hint="use ranges of whole divisions (C10-C12) or fewer categories")


def _check_yaml_events(text: str, path: Path) -> None:
    """Refuse anchors/aliases and huge documents from the event stream, before any node is built: a 522-byte
    "billion laughs" file of nested aliases expands to gigabytes once the loaded lists are walked."""
    import yaml

    for n, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader)):
        anchor = getattr(event, "anchor", None)
        mark = event.start_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        if isinstance(event, yaml.AliasEvent) or anchor is not None:
            alias = isinstance(event, yaml.AliasEvent)
            raise InputError(path, f"YAML {'alias *' if alias else 'anchor &'}{anchor} is not supported", line, column,
                             hint="write each category's codes out in full")
        if n > MAX_YAML_EVENTS:
            raise InputError(path, f"YAML document larger than {MAX_YAML_EVENTS:,} elements", line,
                             hint="a taxonomy has tens or hundreds of categories")


def parse_yaml(text: str, path: Path, groups: bool = True) -> Taxonomy:
    """``categories: [{id, label, codes: [...]}]`` plus optional ``name``, ``source``, ``notes``; or a group
    file's ``groups: [{id, label, categories: [...]}]`` plus optional ``base``."""
    import yaml  # here: only YAML taxonomies need it (8 ms of every start-up)

    try:
        _check_yaml_events(text, path)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(path, f"invalid YAML: {problem}", mark.line + 1 if mark else None,
                         mark.column + 1 if mark else None) from None
    if isinstance(data, dict) and "groups" in data and "categories" not in data:
        from clustermapper.taxonomy.groups import groups_from_yaml, refuse_nested

        if not groups:
            raise refuse_nested(path)
        assert root is not None
        node = {k.value: v for k, v in root.value}["groups"]
        return groups_from_yaml(data, list(getattr(node, "value", [])), path, _base_loader)
    if not isinstance(data, dict) or not isinstance(data.get("categories"), list):
        raise InputError(path, "expected a mapping with a 'categories' list", 1,
                         hint="categories:\n  - {id: AUTO, label: Automotive, codes: [C29, G45]}")
    assert root is not None  # data is a mapping, so the document has a root node
    nodes = {k.value: v for k, v in root.value}["categories"].value
    categories: dict[str, dict] = {}
    n_codes = 0
    for i, item in enumerate(data["categories"]):
        line = nodes[i].start_mark.line + 1
        check_size(path, i + 1, n_codes, line)
        if not isinstance(item, dict) or "id" not in item or "codes" not in item:
            raise InputError(path, "each category needs 'id' and 'codes'", line)
        cid = str(item["id"]).strip()
        if cid in categories:
            raise InputError(path, f"category {quote(cid)} is defined twice", line, "id")
        raw = item["codes"]
        if isinstance(raw, (str, int)):
            raw = [raw]
        if not isinstance(raw, list) or not raw:
            raise InputError(path, f"category {quote(cid)}: 'codes' must be a non-empty list", line, "codes")
        codes = [c for value in raw for c in _codes(str(value), path, line, "codes")]
        n_codes += len(codes)
        categories[cid] = {"label": str(item.get("label") or "").strip(), "codes": codes, "basis": [""] * len(codes)}
    return _build(categories, path, str(data.get("name") or ""), str(data.get("source") or ""),
                  str(data.get("notes") or ""))
