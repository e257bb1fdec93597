"""The one-page printable ward briefing: a standalone HTML file with no scripts or network requests."""

from __future__ import annotations

import datetime as dt
import html

import geopandas as gpd
import pandas as pd

from explorer.models.citymap import small_area_view
from explorer.models.profile import judgement_text
from explorer.registry import Indicator
from explorer.stats.classify import NO_DATA_COLOUR
from geo.svg import svg_map

ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. Contains OS data © Crown "
    "copyright and database right. Contains National Statistics data © Crown copyright and database right. "
    "FixMyStreet data © mySociety, ODC-By 1.0. Contains Coventry City Council data."
)
CSS = """
@page { size: A4; margin: 9mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 6.5pt; color: #111; margin: 0; }
h1 { font-size: 14pt; margin: 0 0 2pt; } h2 { font-size: 9.5pt; margin: 4pt 0 1pt; }
.meta { color: #444; margin: 0 0 4pt; }
.top { display: flex; gap: 10pt; } .top > div:first-child { flex: 1; } .top > div:last-child { flex: none; }
ul { margin: 2pt 0 0 12pt; padding: 0; } li { margin: 1pt 0; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 0.5pt solid #bbb; padding: 0.4pt 2pt;
  text-align: left; vertical-align: top; line-height: 1.1; } th { background: #eee; }
td.n, td.w { text-align: right; white-space: nowrap; } td.w { text-align: left; }
td:first-child { width: 37%; } td.p { white-space: normal; width: 23%; } td.r { white-space: normal; width: 8%; }
.u { color: #555; }
.legend svg { width: 9pt; height: 7pt; margin-right: 2pt; vertical-align: -1pt; }
.small { font-size: 6.2pt; color: #333; }
"""


def _swatch(colour: str, dashed: bool = False) -> str:
    """A legend swatch drawn as an SVG square: browsers print SVG fills, but by default drop CSS backgrounds.

    Examples
    --------
    >>> _swatch("#fee5d9").split("><")[1]
    'rect x="0.5" y="0.5" width="11" height="8" fill="#fee5d9" stroke="#333333"/'
    """
    dash = ' stroke-dasharray="2 1"' if dashed else ""
    return ('<svg viewBox="0 0 12 9" aria-hidden="true" style="forced-color-adjust:none">'
            f'<rect x="0.5" y="0.5" width="11" height="8" fill="{html.escape(colour)}" stroke="#333333"{dash}/></svg>')


def briefing_html(
    ward: str,
    ward_name: str,
    sentences: list[str],
    table: pd.DataFrame,
    registry: dict[str, Indicator],
    wards: gpd.GeoDataFrame,
    lsoas: gpd.GeoDataFrame,
    values: pd.DataFrame,
    lookups: pd.DataFrame,
    today: dt.date | None = None,
    area: str = "Coventry",
) -> str:
    """A printable briefing for one ward: summary, map with legend, every figure, sources and date.

    ``area`` is the authority's name (Coventry's briefing names its ward set; another's, the May 2025 wards).
    """
    from explorer.models.export import app_name, attribution

    today = today or dt.date.today()
    esc = html.escape
    a = esc(area)
    ward_set = ("Coventry wards\n2004 to May 2026; the wards changed in May 2026 and new boundaries are not yet "
                "available" if area == "Coventry" else f"{a} wards, May 2025")
    imd = registry["imd25_score"]
    view = small_area_view(values, lsoas, imd, "lsoa21")
    members = lookups[(lookups["geography"] == "lsoa21") & (lookups["ward"] == ward)]["lsoa"]
    mine = lsoas[lsoas["code"].isin(members)]
    fills = [view.classes.colour_of(view.values.get(c, float("nan"))) for c in mine["code"]]
    titles = [view.tips[c] for c in mine["code"]]
    svg = svg_map(mine, fills, titles, outline=wards[wards["code"] == ward], width=190, max_height=160,
                  label=f"Map of {ward_name}'s neighbourhoods coloured by IMD 2025 score")
    legend = "".join(
        f"<div>{_swatch(c)}{esc(lab)}</div>" for c, lab in zip(view.classes.colours, view.classes.labels, strict=True)
    ) + f"<div>{_swatch(NO_DATA_COLOUR, dashed=True)}No data</div>"
    rows = []
    for _, r in table.iterrows():
        ind = registry[r["id"]]
        def number(v: float, ind: Indicator = ind) -> str:
            return "no data" if pd.isna(v) else f"{v:,.{ind.decimals}f}"

        eng = number(r["england"]) if pd.notna(r["england"]) else "not held"
        ci = (f"{r['lower']:.{ind.decimals}f} to {r['upper']:.{ind.decimals}f}"
              if pd.notna(r["lower"]) and pd.notna(r["upper"]) else "")
        rows.append(
            f"<tr><td>{esc(ind.label)} <span class=u>({esc(ind.unit)})</span></td>"
            f"<td class=n>{number(r['value'])}</td>"
            f"<td class=n>{ci}</td><td class=r>{esc(r['rank_text'])}</td><td class=n>{number(r['authority'])}</td>"
            f"<td class=n>{eng}</td><td class=w>{esc(judgement_text(r['comparison']))}</td>"
            f"<td class=p>{esc(ind.period)}</td></tr>"  # whole: an old figure keeps its age in words
        )
    shown = [ind for ind in registry.values() if ind.id in set(table["id"])]
    by_licence: dict[str, set[str]] = {}
    for ind in shown:
        by_licence.setdefault(ind.licence, set()).add(ind.source)
    sources = [f"{licence}: {'; '.join(sorted(names))}" for licence, names in sorted(by_licence.items())]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(ward_name)} ward briefing</title>
<style>{CSS}</style></head><body>
<h1>{esc(ward_name)} ward, {a}</h1>
<p class="meta">{esc(app_name(area))} briefing, produced {today:%d %B %Y}. Ward {esc(ward)} ({ward_set}).</p>
<div class="top"><div><h2>Summary</h2><ul>{"".join(f"<li>{esc(s)}</li>" for s in sentences)}</ul></div>
<div>{svg}</div><div class="legend small" style="width:27mm"><strong>IMD 2025 score of each
neighbourhood</strong> (darker = more deprived; classes for all of {a}){legend}</div></div>
<h2>Every figure</h2>
<table><thead><tr><th>Indicator (unit)</th><th>This ward</th><th>95% CI</th><th>Rank (1&nbsp;=&nbsp;worst)</th>
<th>{a}</th><th>England</th><th>Compared with {a}</th><th>Period</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<p class="small">Compared with {a}: where a value has a 95% confidence interval, ▲ better, ▼ worse or ● similar
(△ ▽ higher or lower where the indicator is not judged), as Fingertips compares an interval with its benchmark;
without one, only its place among the wards (best, middle or worst fifth). Ties share a rank and are called joint.
{a}'s figure is the publisher's own where one exists (ONS life expectancy; MHCLG IoD 2025 summaries),
otherwise computed here from its neighbourhoods. Ward figures are population-weighted (or, for the 1 km
pollution grid, area-weighted) from neighbourhoods assigned to wards by best fit.</p>
<h2>Sources</h2><p class="small">{". ".join(esc(s) for s in sources)}.</p>
<p class="small">{esc(attribution(area))}</p>
</body></html>"""
