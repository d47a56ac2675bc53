"""The after-action review: one model built from the log and the rubric, rendered as Markdown,
HTML, JSON and CSV."""
