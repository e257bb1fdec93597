"""What the pages show: tables, sentences, charts, maps and downloads, computed without Streamlit.

The top of the package: may import anything below it (:mod:`explorer.pipeline`, :mod:`explorer.stats`,
:mod:`geo`), and nothing imports it but the pages and their cache adapter ``pages/_cache.py``.
"""
