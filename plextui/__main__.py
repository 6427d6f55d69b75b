"""`python -m plextui` is the `plextui` command."""

import sys

from plextui.entry.cli import main

sys.exit(main())
