import sys

from szca_unlock.assistant.cli import main

sys.exit(main())
