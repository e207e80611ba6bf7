"""MkDocs plugins of the spoiler-graded film explainer project."""
