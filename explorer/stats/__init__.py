"""The methods: intervals, inequality indices, judgement rules and class breaks, each citing its source.

Pure functions of numbers and tables. They import :mod:`geo`, :mod:`explorer.registry` and each other only.
"""
