"""95% confidence intervals, from maintained statistics libraries and bounded to what is possible.

- Proportions of people (a numerator and a denominator): Wilson score interval, PHE's standard
  (Wilson 1927; Newcombe and Altman 2000), from ``statsmodels.stats.proportion.proportion_confint``.
- Counts of events (rates): the exact (Garwood) Poisson interval on the count, divided by the exposure,
  from ``statsmodels.stats.rates.confint_poisson`` (method ``exact-c``).
- A mean with a standard error: value +/- 1.96 standard errors, clipped to the values the measure can take.

Every interval here has a positive width: a proportion of 0 of n still has an upper limit above 0.
"""

from __future__ import annotations

import numpy as np
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import confint_poisson

Z95 = 1.959963984540054  # scipy.stats.norm.ppf(0.975)


def wilson_percent(numerator, denominator) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score 95% interval of ``numerator / denominator``, in percent.

    Parameters
    ----------
    numerator, denominator : array-like of float
        Counts (people, or areas); non-integer counts (population-weighted) are accepted.
        A denominator of 0 or NaN gives NaN limits.

    Returns
    -------
    lower, upper : ndarray
        Limits in percent, within 0 to 100.

    Examples
    --------
    >>> lo, hi = wilson_percent([0], [40])
    >>> float(lo[0]), round(float(hi[0]), 2)
    (0.0, 8.76)
    >>> [float(v[0]) for v in wilson_percent([0.0], [7])][0]  # exactly 0, never 1e-15 above its value
    0.0
    """
    x, n, ok, lower, upper = _counts(numerator, denominator)
    if ok.any():
        share = np.clip(x[ok], 0, n[ok])
        lo, hi = proportion_confint(share, n[ok], alpha=0.05, method="wilson")
        point = share / n[ok] * 100
        # Rounding in the library can leave 0 of n with a lower limit of 1e-15: the interval must hold its value.
        lower[ok], upper[ok] = np.minimum(np.asarray(lo) * 100, point), np.maximum(np.asarray(hi) * 100, point)
    return np.clip(lower, 0, 100), np.clip(upper, 0, 100)


def _counts(numerator, denominator):
    """Both as float arrays, where an interval can be made (a positive, finite denominator), and NaN limits."""
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    ok = (n > 0) & np.isfinite(x) & np.isfinite(n)
    return x, n, ok, np.full(x.shape, np.nan), np.full(x.shape, np.nan)


def poisson_rate(count, exposure, per: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) 95% interval of a rate ``count / exposure * per``.

    Parameters
    ----------
    count : array-like of float
        Events observed (whole numbers).
    exposure : array-like of float
        Person-years (or any exposure) the events arose from.
    per : float
        Rate multiplier (1,000 for "per 1,000 residents a year").

    Examples
    --------
    >>> lo, hi = poisson_rate([0], [1000], per=1000)
    >>> float(lo[0]), round(float(hi[0]), 3)
    (0.0, 3.689)
    """
    k, t, ok, lower, upper = _counts(count, exposure)
    for i in np.flatnonzero(ok):
        lo, hi = confint_poisson(round(k[i]), t[i], method="exact-c", alpha=0.05)
        lower[i], upper[i] = float(lo) * per, float(hi) * per
    return lower, upper


def normal_bounded(value, se, low: float | None = None, high: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``value +/- 1.96 se``, clipped to ``[low, high]`` (the values the measure can take)."""
    v = np.asarray(value, dtype=float)
    s = np.asarray(se, dtype=float)
    lower, upper = v - Z95 * s, v + Z95 * s
    return np.clip(lower, low, high), np.clip(upper, low, high)


def se_from_limits(lower, upper) -> np.ndarray:
    """Standard error implied by symmetric 95% limits: (upper - lower) / (2 x 1.96)."""
    return (np.asarray(upper, dtype=float) - np.asarray(lower, dtype=float)) / (2 * Z95)
