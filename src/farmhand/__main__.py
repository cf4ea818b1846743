"""``python -m farmhand`` is the ``farmhand`` command, for hosts without console scripts."""

import sys

from farmhand.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
