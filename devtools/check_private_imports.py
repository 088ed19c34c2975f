"""Refuse a private name (`_x`) used outside its own package of chalicelib.

import-linter's contracts (pyproject.toml) keep the layers; this keeps each
package's insides its own: `from chalicelib.money.gifts import _read` in another
package, or `gifts._read(...)` on a module imported from another package, is a
reach-in that the owning module cannot see when it changes. Within a package, a
module may use its siblings' private helpers. Run by `make lint`; exits 1 and
lists every use when it finds one.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def package_of(module: str) -> str:
    """`chalicelib.money.gifts` -> `chalicelib.money`; app.py is its own package."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "chalicelib" and len(parts) > 2 else module


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(parts)


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def problems(path: Path) -> list[str]:
    here = package_of(module_name(path))
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[str] = []
    modules: dict[str, str] = {}  # local name -> the chalicelib module it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and \
                node.module.startswith("chalicelib"):
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                if private(alias.name) and package_of(node.module) != here:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: imports "
                                 f"{alias.name} from {node.module}")
                modules[alias.asname or alias.name] = target
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                private(node.attr) and node.value.id in modules:
            owner = modules[node.value.id]
            if package_of(owner) != here:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: uses "
                             f"{node.value.id}.{node.attr} of {owner}")
    return found


def main() -> int:
    files = sorted((ROOT / "chalicelib").rglob("*.py")) + [ROOT / "app.py"]
    found = [p for f in files for p in problems(f)]
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} private names used across packages", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
