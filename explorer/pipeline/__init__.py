"""The data pipeline: read, check, join, aggregate and precompute, for Coventry's pack and the national store.

Imports :mod:`geo`, :mod:`explorer.registry`, :mod:`explorer.paths` and :mod:`explorer.stats`; never the models.
"""
