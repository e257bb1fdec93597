"""Class breaks (mapclassify) and colours (ColorBrewer via branca) for choropleths.

Colours are ColorBrewer sequential schemes, which are colour-blind safe. The
darkest class is always the worst end for indicators with a polarity, so
"darker = worse" holds across the whole app. "No data" is a grey that no
scheme here uses, and is drawn with a dashed outline as well.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import mapclassify
import numpy as np
import pandas as pd
from branca.utilities import color_brewer

NO_DATA_COLOUR = "#9e9e9e"
SCHEMES = {"higher_is_worse": "YlOrRd", "higher_is_better": "YlOrRd", "neither": "PuBu"}
DEFAULT_K = 5


@dataclass(frozen=True)
class Classes:
    """Upper bounds of each class, the colour of each class, and their labels."""

    bins: tuple[float, ...]
    colours: tuple[str, ...]
    labels: tuple[str, ...]
    counts: tuple[int, ...]

    def colour_of(self, value: float) -> str:
        """Colour for one value; the no-data colour for NaN."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return NO_DATA_COLOUR
        for upper, colour in zip(self.bins, self.colours, strict=True):
            if value <= upper:
                return colour
        return self.colours[-1]


def palette(polarity: str, k: int) -> list[str]:
    """ColorBrewer colours for ``k`` classes, ordered from lowest to highest value.

    For "higher is better" indicators the scheme is reversed, so the lowest
    (worst) values are darkest.
    """
    colours = color_brewer(SCHEMES[polarity], n=max(k, 3))[: max(k, 3)]
    if k < 3:
        colours = [colours[0], colours[-1]][:k] if k == 2 else [colours[-1]]
    return list(reversed(colours)) if polarity == "higher_is_better" else list(colours)


def fmt(value: float, decimals: int) -> str:
    """Format a number with thousands separators and fixed decimals."""
    return f"{value:,.{decimals}f}"


def classify(values: pd.Series, polarity: str, decimals: int, k: int = DEFAULT_K) -> Classes:
    """Fisher-Jenks natural breaks of the non-missing values, with colours and labels.

    Parameters
    ----------
    values : Series
        Values to classify (NaN allowed; they are "no data").
    polarity : str
        Registry polarity, which orders the colours.
    decimals : int
        Decimals used in the labels.
    k : int
        Wanted number of classes; fewer when there are fewer distinct values.
    """
    data = values.dropna().to_numpy(dtype=float)
    if data.size == 0:
        return Classes((), (), (), ())
    k = max(1, min(k, np.unique(data).size))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scheme = mapclassify.FisherJenks(data, k=k) if k > 1 else None
    bins = tuple(float(b) for b in scheme.bins) if scheme is not None else (float(data.max()),)
    colours = tuple(palette(polarity, len(bins)))
    lows = [float(data.min())] + [float(np.min(data[data > b])) for b in bins[:-1]]
    labels = tuple(
        fmt(lo, decimals) if fmt(lo, decimals) == fmt(hi, decimals) else f"{fmt(lo, decimals)} to {fmt(hi, decimals)}"
        for lo, hi in zip(lows, bins, strict=True)
    )
    edges = (-np.inf, *bins)
    counts = tuple(int(((data > lo) & (data <= hi)).sum()) for lo, hi in zip(edges[:-1], edges[1:], strict=True))
    return Classes(bins, colours, labels, counts)
