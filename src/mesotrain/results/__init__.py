"""The certifier's toolkit: result files in, grades, exports, item analysis and certificates out.

The result file's format lives in mesotrain.exam.resultfile, below both this package and
the exam page's renderer. Modules: store (SQLite), importer, grade (with scorer and tallies), export, stats and report
(item analysis), certificates, and the click commands (``mesotrain results``, in commands.py).
"""
