"""The certifier's toolkit: result files in, grades, exports, item analysis and certificates out.

Modules: resultfile (the format; the exam page's renderer imports only this one),
store (SQLite), importer, grade (with scorer and tallies), export, stats and report
(item analysis), certificates, and the click commands (``mesotrain results``, in commands.py).
"""
