"""`python -m mkdocs_plugins.spoilers` runs the same CLI as the `spoilers` script."""

import sys

from mkdocs_plugins.spoilers.cli import main

sys.exit(main())
