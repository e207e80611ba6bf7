"""`spoilers audit`: prove that a built site leaks nothing above each level.

The promise: a reader at level L of film F receives no byte of anything graded above L. The
audit reads every file of the built site the way a browser shows it (visible.py, the module the
lint reads writer text with) and looks for what hidden.py says each level keeps back: every name
of an entity introduced above L, every distinctive run of words of a text graded above L, every
section id graded above L. What is allowed at a level comes from the ladder alone; no text a writer
wrote can put a needle on an allowed list, in its own film or another.

    site.py    which file belongs to which film and level (the URL scheme), the theme's own files
    page.py    a page's text per channel (text, title, toc, attribute, meta, script, ...)
    scan.py    the scan, link and policy checks (noindex, canonical, sitemap, search index)
    report.py  one `LEAK ...` line per leak, and the run's figures

`spoilers audit SITE_DIR` (cli.py) prints the leaks on stdout and the figures on stderr, and exits
1 on any leak.
"""

from mkdocs_plugins.spoilers.audit.report import AuditResult, Leak
from mkdocs_plugins.spoilers.audit.scan import Audit, audit
from mkdocs_plugins.spoilers.audit.site import Trusted, default_theme_dirs

__all__ = ["Audit", "AuditResult", "Leak", "Trusted", "audit", "default_theme_dirs"]
