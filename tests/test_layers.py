"""Imports point down the layers of ARCHITECTURE.md, and migration revisions never import the package."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "assetgraph"

# What each layer may import from the package (besides itself): schema -> resolvers -> services ->
# {persistence, providers, storage, jobs} -> domain. `config` is plain settings, usable everywhere but the domain.
ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "persistence": {"domain", "config"},
    "providers": {"domain", "config"},
    "storage": {"domain", "config"},
    "jobs": {"domain", "config", "persistence"},
    "services": {"domain", "config", "persistence", "providers", "storage", "jobs"},
    "resolvers": {"domain", "config", "services"},
    "schema": {"domain", "config", "resolvers"},
}


def _imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def _package_part(module: str) -> str | None:
    """'assetgraph.persistence.models' -> 'persistence'; None for modules outside the package."""
    parts = module.split(".")
    return parts[1] if parts[0] == "assetgraph" and len(parts) > 1 else None


def test_every_layer_imports_only_the_layers_below_it() -> None:
    violations = []
    for layer, allowed in ALLOWED.items():
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            for module in _imported_modules(path):
                part = _package_part(module)
                if part is not None and part != layer and part not in allowed:
                    violations.append(f"{path.relative_to(ROOT)} imports {module}")
    assert violations == []


def test_migration_revisions_do_not_import_the_package() -> None:
    revisions = sorted((ROOT / "migrations" / "versions").glob("*.py"))
    assert revisions
    violations = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in revisions
        for module in _imported_modules(path)
        if module.split(".")[0] == "assetgraph"
    ]
    assert violations == []


def test_test_modules_do_not_import_each_other() -> None:
    # Shared helpers live in tests/support.py, tests/strategies.py, tests/provider_status_cases.py,
    # tests/pixverse_support.py, tests/graphql_socket_client.py or fixtures.
    violations = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for module in _imported_modules(path)
        if module.split(".")[0] == "tests" and module.split(".")[-1].startswith("test_")
    ]
    assert violations == []
