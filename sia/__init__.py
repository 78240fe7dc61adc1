"""SIA decision engine: criteria, normalisation, weighting, aggregation, robustness, candidate areas.

Pure Python on numpy/pandas (and PySAL for spatial statistics). This package never imports the
database or web layers: it takes a plain table (one row per area, one column per criterion) and a
weight profile.
"""

__version__ = "0.1.0"
