"""Group files: user-defined groups of categories (emerging industries) turned into a taxonomy.

A group is the union of the NACE codes of its member categories of a base taxonomy (default
``nace-divisions``), so the normal pipeline rates it: stars, maps, profiles. A category may belong to several
groups: each group counts its employment in full (the cell is shared, as in any taxonomy, and the coverage
lists it); within one group a category listed twice, or codes that overlap, count once.

YAML::

    name: Emerging industries
    base: nace-divisions
    groups:
      - {id: mobility-tech, label: Mobility technologies, categories: [C27, C29, C30]}

CSV: ``group,label,categories`` (categories ``;``-separated, or one row per category). See docs/taxonomies.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from clustermapper.errors import InputError
from clustermapper.taxonomy.codes import normalise_code
from clustermapper.taxonomy.model import Category, Taxonomy

DEFAULT_BASE = "nace-divisions"
BaseLoader = Callable[[str], Taxonomy]


def split_members(field: str) -> list[str]:
    return [p.strip() for p in field.replace("|", ";").replace(",", ";").split(";") if p.strip()]


def _member(base: Taxonomy, name: str, path: Path, line: int | None, column: str) -> str:
    """The base category ``name`` stands for: its id, or the id that equals it as a NACE code (``c 29``)."""
    if name in base.categories:
        return name
    code = normalise_code(name)
    if code in base.categories:
        return code
    examples = ", ".join(base.categories[:3])
    raise InputError(path, f"{name!r} is not a category of the base taxonomy {base.id!r}", line, column,
                     hint=f"list categories of {base.id} (e.g. {examples}), or write a taxonomy file with "
                          "'codes' for NACE codes the base does not have")


def build_groups(groups: dict[str, dict], base: Taxonomy, path: Path, name: str = "", source: str = "",
                 notes: str = "") -> Taxonomy:
    """``groups``: id → {label, members: [(name, line, column)]}; members resolved against ``base``."""
    if not groups:
        raise InputError(path, "no groups defined", hint="add at least one group with its categories")
    items: list[Category] = []
    members_of: dict[str, list[str]] = {}
    for gid, g in groups.items():
        members = list(dict.fromkeys(_member(base, m, path, line, col) for m, line, col in g["members"]))
        codes = tuple(dict.fromkeys(code for m in members for code in base.codes(m)))
        items.append(Category(gid, g["label"] or gid, codes))
        for m in members:
            members_of.setdefault(m, []).append(gid)
    shared = {m: gs for m, gs in members_of.items() if len(gs) > 1}
    text = [f"Groups of {base.id} categories; each group is the union of its categories' codes."]
    if shared:
        text.append("Categories in several groups (counted in full in each): "
                    + "; ".join(f"{m} ({', '.join(gs)})" for m, gs in shared.items()) + ".")
    if notes:
        text.append(notes)
    return Taxonomy(id=path.stem, name=name or path.stem, items=tuple(items),
                    source=source or str(path), notes=" ".join(text))


def load_base(value: object, path: Path, loader: BaseLoader) -> Taxonomy:
    """The base taxonomy named in a group file: a built-in name or a taxonomy file (relative to the group
    file). ``loader`` refuses another group file."""
    text = str(value or DEFAULT_BASE).strip()
    candidate = Path(text)
    if not candidate.is_absolute() and candidate.suffix and (path.parent / candidate).exists():
        text = str(path.parent / candidate)
    return loader(text)


def refuse_nested(path: Path) -> InputError:
    return InputError(path, "is a group file; the base of a group file must be a taxonomy", 1,
                      hint="give base: nace-divisions, industrial-ecosystems or a taxonomy file with 'codes'")


def groups_from_csv(rows, header: list[str], path: Path, loader: BaseLoader) -> Taxonomy:
    """``group,label,categories`` rows (a ``csv.reader`` past its header) against ``nace-divisions``."""
    from clustermapper.taxonomy.loaders import check_size

    if "categories" not in header:
        raise InputError(path, f"no 'categories' column in the header {header}", 1,
                         hint="first line of a group file: group,label,categories")
    col = {name: header.index(name) for name in ("group", "label", "categories") if name in header}
    groups: dict[str, dict] = {}
    n_members = 0
    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        row = row + [""] * (len(header) - len(row))
        gid = row[col["group"]].strip()
        if not gid:
            raise InputError(path, "empty group id", line, "group")
        label = row[col["label"]].strip() if "label" in col else ""
        members = split_members(row[col["categories"]])
        if not members:
            raise InputError(path, f"group {gid!r} has no categories on this line", line, "categories")
        n_members += len(members)
        check_size(path, len(groups) + (gid not in groups), n_members, line)
        entry = groups.setdefault(gid, {"label": label, "members": []})
        if label and entry["label"] and label != entry["label"]:
            raise InputError(path, f"group {gid!r} has two labels: {entry['label']!r} and {label!r}", line, "label")
        entry["label"] = entry["label"] or label
        entry["members"].extend((m, line, "categories") for m in members)
    return build_groups(groups, load_base(DEFAULT_BASE, path, loader), path)


def groups_from_yaml(data: dict, nodes: list, path: Path, loader: BaseLoader) -> Taxonomy:
    """``groups: [{id, label, categories: [...]}]`` plus optional ``name``, ``source``, ``notes``, ``base``."""
    from clustermapper.taxonomy.loaders import check_size

    if not isinstance(data.get("groups"), list):
        raise InputError(path, "'groups' must be a list", 1,
                         hint="groups:\n  - {id: mobility-tech, label: Mobility technologies, categories: [C29, C30]}")
    base = load_base(data.get("base"), path, loader)
    groups: dict[str, dict] = {}
    n_members = 0
    for i, item in enumerate(data["groups"]):
        line = nodes[i].start_mark.line + 1
        if not isinstance(item, dict) or "id" not in item or "categories" not in item:
            raise InputError(path, "each group needs 'id' and 'categories'", line,
                             hint="- {id: mobility-tech, label: Mobility technologies, categories: [C29, C30]}")
        gid = str(item["id"]).strip()
        if gid in groups:
            raise InputError(path, f"group {gid!r} is defined twice", line, "id")
        raw = item["categories"]
        members = split_members(str(raw)) if isinstance(raw, (str, int)) else raw
        if not isinstance(members, list) or not members:
            raise InputError(path, f"group {gid!r}: 'categories' must be a non-empty list", line, "categories")
        n_members += len(members)
        check_size(path, i + 1, n_members, line)
        groups[gid] = {"label": str(item.get("label") or "").strip(),
                       "members": [(str(m).strip(), line, "categories") for m in members]}
    return build_groups(groups, base, path, str(data.get("name") or ""), str(data.get("source") or ""),
                        str(data.get("notes") or ""))
