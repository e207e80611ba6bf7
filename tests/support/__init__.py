"""Test support: one place for the repository's paths, sample films, site writing and builds.

paths    REPO_ROOT, SCHEMA_FILE, the default LADDER
films    a base film and small patches to it
sites    write a site (an inline file tree) and build it strictly, in-process
"""
