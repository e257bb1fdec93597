"""Geography, the bottom layer: boundaries, lookups, grids, labels, GeoJSON, and reading and checking files.

Imports nothing from :mod:`explorer` or the pages (``tests/test_layers.py``) and never Streamlit.
"""
