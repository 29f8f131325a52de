"""The evidence core: records, standards, cost model, effect sizes and pooling.

Plain typed Python. It never imports Django (an import-linter contract in
``pyproject.toml`` keeps it so).
"""
