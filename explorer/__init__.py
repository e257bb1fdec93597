"""The inequality explorer below the pages, in layers that import only downwards (no Streamlit).

``geo`` (bottom: boundaries, lookups, grids, GeoJSON, file checks and their errors)
→ ``explorer.registry`` and ``explorer.paths`` (the registries held as data, where files live)
→ ``explorer.stats`` (the methods) → ``explorer.pipeline`` (read, check, join, precompute)
→ ``explorer.models`` (what pages show) → ``pages/``. ``tests/test_layers.py`` holds every module to this.
"""
