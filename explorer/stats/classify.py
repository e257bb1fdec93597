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
    """Upper bounds of each class, the colour of each class, and their labels.

    ``bins`` are values as shown (rounded to ``decimals``); a value is placed by its shown value, so it
    always falls in the class whose label holds it as printed. ``decimals`` None places raw values.
    """

    bins: tuple[float, ...]
    colours: tuple[str, ...]
    labels: tuple[str, ...]
    counts: tuple[int, ...]
    decimals: int | None = None

    def class_of(self, value: float) -> int | None:
        """The class (0 = lowest values) one value is drawn in; None for a missing value ("no data").

        The one rule both the web map and the downloadable picture colour an area by
        (:func:`explorer.models.citymap.MapView.styles`).
        """
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) or not self.bins:
            return None
        shown = value if self.decimals is None else as_shown(value, self.decimals)
        for i, upper in enumerate(self.bins):
            if shown <= upper:
                return i
        return len(self.bins) - 1

    def colour_of(self, value: float) -> str:
        """Colour for one value; the no-data colour for NaN."""
        at = self.class_of(value)
        return NO_DATA_COLOUR if at is None else self.colours[at]


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


def as_shown(value: float, decimals: int) -> float:
    """A value rounded exactly as :func:`fmt` prints it (Python's correctly rounded formatting, not ``np.round``).

    Examples
    --------
    >>> as_shown(7.1071, 1), as_shown(0.15, 1), fmt(0.15, 1)
    (7.1, 0.1, '0.1')
    """
    return float(f"{value:.{decimals}f}")


def classify(values: pd.Series, polarity: str, decimals: int, k: int = DEFAULT_K) -> Classes:
    """Fisher-Jenks natural breaks of the non-missing values as shown, with colours and labels.

    The values are classified as the map and its tooltips print them, rounded to ``decimals``
    (:func:`as_shown`): two values printed alike always share a class, so no two labels share an end value
    at the decimals shown ("7.1 to 7.4", then "7.5 to 7.7", never "7.4 to 7.7"), and every value lies in
    the class whose label holds its printed value. Fisher-Jenks as in mapclassify (Fisher 1958; Jenks 1977).

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
    data = np.array([as_shown(v, decimals) for v in values.dropna().to_numpy(dtype=float)])
    if data.size == 0:
        return Classes((), (), (), (), decimals)
    k = max(1, min(k, np.unique(data).size))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scheme = mapclassify.FisherJenks(data, k=k) if k > 1 else None
    # Breaks are values of the data; a break inside a run of equal values would leave an empty class.
    bins = tuple(sorted({float(b) for b in scheme.bins})) if scheme is not None else (float(data.max()),)
    colours = tuple(palette(polarity, len(bins)))
    lows = [float(data.min())] + [float(np.min(data[data > b])) for b in bins[:-1]]
    labels = tuple(
        fmt(lo, decimals) if fmt(lo, decimals) == fmt(hi, decimals) else f"{fmt(lo, decimals)} to {fmt(hi, decimals)}"
        for lo, hi in zip(lows, bins, strict=True)
    )
    edges = (-np.inf, *bins)
    counts = tuple(int(((data > lo) & (data <= hi)).sum()) for lo, hi in zip(edges[:-1], edges[1:], strict=True))
    return Classes(bins, colours, labels, counts, decimals)
