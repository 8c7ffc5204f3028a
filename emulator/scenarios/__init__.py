"""The casts shipped with the emulator: ``default`` (the personas of ``szca-emulator up``,
the test fixtures and the BDD features) and ``load`` (the bulk population's settings).

``--scenario`` options take one of these names or the path of a YAML file of one's own.
"""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path

from emulator.package_files import package_file


def bundled_names() -> list[str]:
    return sorted(entry.name.removesuffix(".yaml") for entry in resources.files(__name__)
                  .iterdir() if entry.name.endswith(".yaml"))


def bundled(name: str) -> Path:
    """The shipped scenario ``name`` (``default``, ``load``)."""
    return package_file(__name__, f"{name}.yaml")


def scenario_file(value: str) -> Path:
    """``--scenario``: a shipped scenario's name, or a YAML file."""
    if value in bundled_names():
        return bundled(value)
    path = Path(value)
    if not path.is_file():
        raise argparse.ArgumentTypeError(
            f"没有场景 {value}：请给出场景文件的路径，或内置场景名（{'、'.join(bundled_names())}）")
    return path


DEFAULT_SCENARIO = bundled("default")
LOAD_SCENARIO = bundled("load")
