"""An authority's own series over time, beside England's, from the national store: for every authority alike.

Life expectancy at birth (ONS, 2001-03 to 2016-18 and 2021 to 2023), fly-tipping incidents per 1,000 residents
(Defra ENV24) and public charging devices per 100,000 residents (DfT). Each series' change is judged (or described)
by its row of ``data/registry/series.csv``, through :mod:`explorer.stats.judge`; no word here names an authority
other than the place's own.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from explorer import paths
from explorer.models import charts
from explorer.models.tables import Column, html_table
from explorer.places import Place, per_place
from explorer.stats import judge
from explorer.stats.classify import fmt
from geo.errors import DataError
from geo.validate import check_unique, read_csv

ORDER = ("le_birth_male", "le_birth_female", "flytipping_per_1000", "ev_devices_per_100k")
UNITS = {"le_birth_male": "years", "le_birth_female": "years", "flytipping_per_1000": "incidents per 1,000 residents",
         "ev_devices_per_100k": "devices per 100,000 residents"}
SOURCES = {
    "le_birth_male": "ONS, Life expectancy at birth by local areas, UK, 2001-03 to 2016-18 (published 2019), and "
                     "Life expectancy for local areas of the UK by age and sex, 2021 to 2023 (with 95% intervals)",
    "flytipping_per_1000": "Defra, Fly-tipping incidents and actions reported by local authorities in England "
                           "(ENV24): incidents and mid-year populations",
    "ev_devices_per_100k": "DfT and Zapmap, Electric vehicle public charging infrastructure statistics, October 2025 "
                           "(all speeds; devices at the start of each quarter; ONS mid-year populations)",
}
SOURCES["le_birth_female"] = SOURCES["le_birth_male"]
LE_WORDS = ("The 2021 to 2023 figure is the same measure (period life expectancy at birth, from three years of "
            "deaths) from a later ONS release. 2017-2019 to 2020-2022 are not held here, so the chart has a gap; "
            "2020 and 2021 were pandemic years, whose deaths are in the 2021 to 2023 figure. ONS's newer releases "
            "use populations rebased on Census 2021 from 2010-2012 on; the earlier figures here are from its 2019 "
            "release, before that rebasing.")
DECIMALS = {"le_birth_male": 1, "le_birth_female": 1, "flytipping_per_1000": 1, "ev_devices_per_100k": 1}


RATE_CAVEATS = "data/registry/rate_caveats.csv"
CAVEAT_COLUMNS = ("series", "fewer_than", "sentence")
CAVEAT_FIELDS = {"area", "residents", "period"}


def load_rate_caveats(path: Path) -> dict[str, tuple[float, str]]:
    """``data/registry/rate_caveats.csv``: series id -> (fewer than this many residents, the caveat's sentence).

    A rate per resident misleads where few people live but many more work or visit (the City of London's
    fly-tipping); the rule is a resident count, stated here as data, never an authority's code in a page.
    Each problem names the file, row and column and says what to do.
    """
    frame = read_csv(path, CAVEAT_COLUMNS, label=RATE_CAVEATS).fillna("")
    check_unique(frame, ["series"], RATE_CAVEATS)
    out = {}
    for i, row in enumerate(frame.to_dict("records"), start=1):
        if row["series"] not in UNITS:
            raise DataError(RATE_CAVEATS, f"series '{row['series']}' is not one of the authority series {ORDER}",
                            row=i, column="series")
        try:
            fewer = float(row["fewer_than"])
        except ValueError:
            raise DataError(RATE_CAVEATS, f"'{row['fewer_than']}' is not a number of residents", row=i,
                            column="fewer_than") from None
        used = {f for _, f, _, _ in string.Formatter().parse(str(row["sentence"])) if f}
        if not used <= CAVEAT_FIELDS or "residents" not in used:
            raise DataError(RATE_CAVEATS, f"the sentence may use only {sorted(CAVEAT_FIELDS)} and must show "
                            "{residents}", row=i, column="sentence")
        out[row["series"]] = (fewer, str(row["sentence"]))
    return out


def few_residents_words(series_id: str, mine: pd.DataFrame, name: str,
                        caveats: dict[str, tuple[float, str]]) -> str:
    """The caveat where the authority's latest residents (the rate's own denominator) are fewer than the rule's.

    ``mine`` is the authority's rows of the series (``denominator``: the residents each rate is divided by,
    ``period``). "" where the series has no such rule, or no residents are held, or they are not few.
    """
    if series_id not in caveats:
        return ""
    fewer, sentence = caveats[series_id]
    held = mine.dropna(subset=["denominator"])
    if held.empty:
        return ""
    last = held.iloc[-1]
    if not float(last["denominator"]) < fewer:
        return ""
    return sentence.format(area=name, residents=f"{float(last['denominator']):,.0f}", period=last["period"])


@dataclass(frozen=True)
class AuthoritySeriesView:
    """One of the authority's series: chart, table, the judged (or described) change, source, rule and notes."""

    id: str
    title: str
    unit: str
    chart: dict
    table: str
    change: str
    caption: str
    rule: str
    notes: tuple[str, ...]
    held: bool


def _limits_words(row: pd.Series, decimals: int) -> str:
    """The words " (95% interval a to b)" for a figure published with limits, else an empty string."""
    if pd.isna(row["lower"]) or pd.isna(row["upper"]):
        return ""
    lower, upper = fmt(row["lower"], decimals), fmt(row["upper"], decimals)
    if lower == upper:
        return f" (95% interval {lower} to {upper}: narrower than the decimals published)"
    return f" (95% interval {lower} to {upper})"


def _periods(periods: list[str]) -> str:
    """Periods in words: one, two joined by "and", or the first to the last."""
    if len(periods) <= 2:
        return " and ".join(periods)
    return f"{periods[0]} to {periods[-1]}"


def _change(rows: pd.DataFrame, meta: pd.Series, unit: str, decimals: int) -> str:
    """The change from the first to the last figure held (life expectancy: the last two), by the series' rule."""
    held = rows.dropna(subset=["value"])
    if len(held) < 2:
        return "fewer than two figures held, so no change can be given"
    rule, better = str(meta["change_rule"]), str(meta["better"])
    first, last = (held.iloc[-2], held.iloc[-1]) if rule == "intervals" else (held.iloc[0], held.iloc[-1])
    shown = (f"{fmt(first['value'], decimals)} {unit} in {first['period']}{_limits_words(first, decimals)} to "
             f"{fmt(last['value'], decimals)} in {last['period']}{_limits_words(last, decimals)}")
    if rule == "intervals":
        threshold = float(meta["threshold"])
        change = judge.change_with_intervals((first["value"], first["lower"], first["upper"]),
                                             (last["value"], last["lower"], last["upper"]), better, threshold,
                                             f"{meta['threshold']} {unit}")
    elif rule == "counts":
        if first["basis"] != last["basis"]:
            was, now = first["basis"] or "not stated", last["basis"] or "not stated"
            return (f"not judged: {shown}, but the council's reporting basis differs ({was} in "
                    f"{first['period']}, {now} in {last['period']})")
        change = judge.change_in_counts(first["count"], last["count"], better, first["denominator"],
                                        last["denominator"])
    else:
        change = judge.described(first["value"], last["value"])
    return f"{change.word}: {shown} ({change.basis})"


def _view(series_id: str, part: pd.DataFrame, name: str,
          caveats: dict[str, tuple[float, str]] | None = None) -> AuthoritySeriesView:
    meta = part.iloc[0]
    unit, decimals = UNITS[series_id], DECIMALS[series_id]
    mine = part[part["area"] == "authority"].sort_values("order")
    england = part[part["area"] == "england"].sort_values("order")
    periods = list(dict.fromkeys(mine["period"]))
    if series_id.startswith("le_birth") and "2016-2018" in periods and "2021-2023" in periods:
        at = periods.index("2021-2023")  # the years not held, so the chart spaces the periods truly
        periods[at:at] = [f"{y}-{y + 2}" for y in range(2017, 2021)]
    wide = pd.DataFrame(index=pd.Index(periods, name="period"))
    wide[name] = mine.set_index("period")["value"].reindex(periods)
    wide["England"] = england.set_index("period")["value"].reindex(periods)
    held = bool(mine["value"].notna().any())
    table = pd.DataFrame({"period": periods})
    table["own"] = wide[name].to_numpy()
    table["own_limits"] = [_limits_words(r, decimals).strip(" ()").replace("95% interval ", "")
                           for _, r in mine.set_index("period").reindex(periods).reset_index().iterrows()]
    table["england"] = wide["England"].to_numpy()
    columns = [Column("period", "Period"), Column("own", f"{name} ({unit})", numeric=True, decimals=decimals)]
    if (table["own_limits"] != "").any():
        columns.append(Column("own_limits", "95% interval"))
    if series_id == "flytipping_per_1000":
        table["count"] = mine.set_index("period")["count"].reindex(periods).to_numpy()
        columns.append(Column("count", f"{name}: incidents", numeric=True, decimals=0))
    columns.append(Column("england", f"England ({unit})", numeric=True, decimals=decimals))
    title = str(meta["title"])
    change_mine = _change(mine, meta, unit, decimals)
    change_england = _change(england, meta, unit, decimals)
    notes = []
    why = mine.loc[mine["value"].isna() & mine["count"].isna(), ["period", "note"]]
    for note, group in why.groupby("note", sort=False):
        notes.append(f"{_periods(list(group['period']))}: {note}.")
    made = mine.loc[mine["note"].str.startswith("computed here"), ["period", "note"]]
    for note, group in made.groupby("note", sort=False):
        notes.append(f"{_periods(list(group['period']))}: {note}.")
    if series_id == "flytipping_per_1000" and mine["value"].isna().any() and mine["count"].notna().any():
        counted = mine.loc[mine["value"].isna() & mine["count"].notna(), "period"]
        notes.append(f"{_periods(list(counted))}: Defra published no population for these years, so "
                     "only the number of incidents is shown (a count, not compared with other years' rates).")
    if series_id.startswith("le_birth"):
        notes.append(LE_WORDS)
    few = few_residents_words(series_id, mine, name, caveats or {})
    if few:
        notes.insert(0, few)
    first, last = periods[0], periods[-1]
    chart = charts.trend(wide, unit, title) if held else {}
    if chart:  # every period on the axis, held or not, so a gap in the series shows as a gap
        chart["encoding"]["x"] = {**chart["encoding"]["x"], "scale": {"domain": [str(p) for p in periods]}}
    return AuthoritySeriesView(
        id=series_id, title=title, unit=unit,
        chart=chart,
        table=html_table(table, columns, caption=f"{title}, {name} and England, by period", missing_words="–"),
        change=f"{name}: {change_mine}. England: {change_england}.",
        caption=f"Source: {SOURCES[series_id]}. Period: {first} to {last}.",
        rule=str(meta["rule_note"]), notes=tuple(notes), held=held)


@per_place
def authority_series(place: Place) -> list[AuthoritySeriesView]:
    """Every series the national store holds for ``place``, beside England's, in :data:`ORDER`.

    Raises
    ------
    DataError
        When the store holds no series for it (said plainly on the page).
    """
    table = place.series()
    caveats = load_rate_caveats(paths.data_dir() / "registry" / "rate_caveats.csv")
    return [_view(key, table[table["series"] == key], place.name, caveats) for key in ORDER
            if (table["series"] == key).any()]


@per_place
def newest_life_expectancy(place: Place) -> dict[str, str]:
    """The authority's newest life expectancy at birth in words, by series id (ONS 2021 to 2023, with interval).

    Empty where the store holds no series. For the sentence beside a 2009-2013 small-area gap.
    """
    try:
        table = place.series()
    except DataError:  # a store without series: the page says nothing newer is held
        return {}
    out = {}
    for key, sex in (("le_birth_male", "men"), ("le_birth_female", "women")):
        row = table[(table["series"] == key) & (table["area"] == "authority") & (table["period"] == "2021-2023")]
        if row.empty or math.isnan(row["value"].iloc[0]):
            out[key] = f"{sex}: none published ({row['note'].iloc[0]})" if len(row) else f"{sex}: not held"
            continue
        r = row.iloc[0]
        out[key] = f"{sex} {fmt(r['value'], 1)} years{_limits_words(r, 1)}"
    return out


def small_area_le_words(place: Place, newest: dict[str, str]) -> str:
    """What a 2009-2013 small-area life-expectancy gap means now, and the authority's newest figure beside it."""
    words = ("No small-area life expectancy newer than 2009-2013 is held, so this gap is 2009-2013's: it says how "
             f"far apart {place.name}'s most and least deprived neighbourhoods were then, not now.")
    if newest:
        words += (f" {place.name} as a whole, 2021 to 2023 (ONS): {'; '.join(newest.values())}. See "
                  f"“{place.name} over time” below.")
    return words


def is_old_life_expectancy(ind) -> bool:
    """Whether an indicator is one of the 2009-2013 small-area life expectancies (the newest small-area ones held)."""
    return ind.unit == "years" and str(ind.period).startswith("2009-2013")


def newest_beside_small_areas(place: Place) -> str:
    """For a page of 2009-2013 small-area life expectancies: the authority's own newest figures, or "" if none held."""
    if not any(is_old_life_expectancy(ind) for ind in place.registry.values()):
        return ""
    newest = newest_life_expectancy(place)
    if not newest:
        return ""
    return (f"Life expectancy here is 2009-2013's: no small-area figures newer than that are held. {place.name} as "
            f"a whole, 2021 to 2023 (ONS, period life expectancy at birth): {'; '.join(newest.values())}. Compare "
            f"shows {place.name}'s series over time.")


@per_place
def series_picture(place: Place, series_id: str):
    """One of the authority's series beside England's as a picture (PNG and SVG), with its source and period."""
    from explorer.models.pictures import chart_picture

    view = next(v for v in authority_series(place) if v.id == series_id)
    return chart_picture(view.chart, heading=f"{place.name}: {view.title}", notes=[view.caption, *view.notes],
                         publisher=place.publisher)
