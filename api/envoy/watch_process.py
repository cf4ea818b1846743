"""``python -m farmhand.api.envoy.watch_process PROJECT SUBMISSION``: the watcher's entry
point, apart from the package so running it imports ``watcher`` once."""

import sys

from farmhand.api.envoy.watcher import main

if __name__ == "__main__":
    sys.exit(main())
