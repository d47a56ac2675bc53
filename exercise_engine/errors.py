"""The base of every error meant for a person rather than a developer.

The CLI prints a ``UserError`` as one plain line and exits 1; anything else is a bug.
"""


class UserError(Exception):
    """A problem the user can fix: a missing file, a locked or read-only database, ..."""
