"""Data files shipped inside the distribution (scenarios, opensc.conf), found through
``importlib.resources`` so they are there in any install, not only beside a checkout."""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from functools import cache
from importlib import resources
from pathlib import Path

_extracted = ExitStack()  # files a zipped install had to copy out: kept until exit
atexit.register(_extracted.close)


@cache
def package_file(package: str, name: str) -> Path:
    """A file path for ``name`` in ``package``: for what needs a real path (another
    process's environment, a command-line default). Raises FileNotFoundError if missing."""
    path = _extracted.enter_context(resources.as_file(resources.files(package) / name))
    if not path.is_file():
        raise FileNotFoundError(f"{package} does not ship {name}")
    return path
