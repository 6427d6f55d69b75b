"""`python -m plextui` is the `plextui` command."""

import sys

from plextui.cli import main

sys.exit(main())
