"""Spoiler-graded film explainers.

The core modules (model, yamlload, load, validate, markup, render, audit, cli) never import
mkdocs, so they outlive the MkDocs adapter (config.py, plugin.py).
"""

__version__ = "0.1.0"
