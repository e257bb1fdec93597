"""What a page shows for a place, worked out once per place and kept with it.

A view (a ward's profile, an indicator's map) is built from a place's tables on first use and kept in the place's
own ``memo``: while the place is open (the cache adapter keeps the last few authorities opened) nothing is built
twice, and when it is closed its views go with it, so memory stays bounded however many authorities are visited.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def per_place(fn: Callable[..., T]) -> Callable[..., T]:
    """Keep ``fn(place, *args)`` in ``place.memo``, keyed by the function and its (hashable) arguments.

    A failure (a :class:`~geo.errors.DataError` naming a file) is not kept: a repaired file is read on the next call.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> calls = []
    >>> @per_place
    ... def square(place, x):
    ...     calls.append(x)
    ...     return x * x
    >>> place = SimpleNamespace(memo={})
    >>> square(place, 3), square(place, 3), calls
    (9, 9, [3])
    """

    @functools.wraps(fn)
    def kept(place, *args):
        key = (fn.__module__, fn.__qualname__, args)
        memo = place.memo
        if key not in memo:
            memo.setdefault(key, fn(place, *args))
        return memo[key]

    return kept
