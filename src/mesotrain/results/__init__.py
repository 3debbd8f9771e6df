"""The certifier's toolkit: result files in, grades, exports, item analysis and certificates out.

Modules: resultfile (the format), store (SQLite), importer, grade, export, stats and
report (item analysis), certificates, and the click commands (``mesotrain results``).
"""
from .commands import results

__all__ = ["results"]
