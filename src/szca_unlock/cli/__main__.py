"""``python -m szca_unlock.cli``: the same as ``szca``."""

import sys

from szca_unlock.cli import main

sys.exit(main())
