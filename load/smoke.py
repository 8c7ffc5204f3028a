"""``python -m load.smoke``: the CI smoke profile (tox -e load-smoke, make load-smoke)."""

import sys

from load.cli import main

if __name__ == "__main__":
    sys.exit(main(["run", "smoke", *sys.argv[1:]]))
