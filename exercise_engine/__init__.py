"""R2P / Protection of Civilians exercise engine.

The package is layered so that the pure parts stay testable without I/O: ``model`` (content
formats and their loader), ``engine`` (the pure exercise core), ``store`` (the SQLite event
store), ``scoring`` and ``report`` (functions of the event log), and the ``cli``.
"""

__version__ = "0.1.0"
