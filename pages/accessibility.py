"""Accessibility statement, in the usual UK public-sector form, honest about what still falls short."""

import streamlit as st

from pages import _cache as cache

area = cache.name_or_code()
team = "the team that runs this explorer"
st.title("Accessibility statement")
st.markdown(
    f"""
This statement applies to the {area} inequality explorer, an open-source tool that shows published data about
{area}'s wards. We want as many people as possible to be able to use it. For example, you should be able to:

- choose a ward from a list or by postcode instead of the map, and read every map's figures in a table;
- move through every page using just a keyboard, with a visible focus outline;
- zoom in up to 400% without the text spilling off the screen on the text pages;
- read a plain-English sentence that states what each map and chart shows;
- tell better from worse without relying on colour: symbols (▲ ▼ ●) and words are always shown too;
- scroll past a map with the mouse wheel: the wheel zooms a map only once you have clicked, tapped or tabbed to it;
- use Windows High Contrast (forced colours): the maps and the swatches of their keys keep their own colours, so
  the key still matches the map, while the words follow your colours.

## How accessible this website is

We know some parts are not fully accessible:

- The maps can be moved with the arrow keys and zoomed with the + and − buttons, but individual areas on a map
  cannot be reached with the keyboard or a screen reader: each map is one stop, named by what it shows and where its
  figures are in words. Every ward map's figures are in the table and sentence beside it; a neighbourhood map's
  range is in its sentence, but each neighbourhood's own figure, and each NO2 tube's or site's reading, is shown
  only on the map.
- Adjacent colours on the maps do not always reach a 3:1 contrast with each other (five graded colours cannot all
  be that far apart). Each map has a legend with value ranges, a table and a sentence, so colour is never the only
  way to read it.
- The spine chart and other charts are images of data; their figures are in the tables below them.
- Tables are drawn by the Streamlit framework and are best read by keyboard (arrow keys move between cells) rather
  than with every screen reader; each table can be downloaded as a CSV file.
- The printable ward briefing is a simple HTML page; its map has a text description but no table of its own.

## Feedback and contact information

If you find a problem not listed here, or need the information in a different format, please raise an issue in
the project's public repository, or tell {team}. We aim to reply within 10
working days.

## Enforcement procedure

The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites
and Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are not happy with how we respond to
your complaint, contact the Equality Advisory and Support Service (EASS).

## Technical information about this website's accessibility

We are committed to making this website accessible, in accordance with the Public Sector Bodies (Websites and
Mobile Applications) (No. 2) Accessibility Regulations 2018.

### Compliance status

This website is **partially compliant** with the Web Content Accessibility Guidelines version 2.2 AA standard,
because of the non-compliances listed below.

### Non-accessible content

- Map areas cannot be reached by keyboard (WCAG 2.1.1 Keyboard); the ward list, postcode search and tables are
  the accessible alternatives.
- Map class colours may not meet 3:1 between neighbouring classes (WCAG 1.4.11 Non-text contrast).
- Chart images are described by a sentence and a table rather than by detailed alternative text
  (WCAG 1.1.1 Non-text content, partly met).

## What we are doing to improve accessibility

Every page is checked automatically with axe-core in a headless browser on each change to the code, including
after choosing a ward and an indicator, and a keyboard-only test opens a ward's profile from the home page using
only Tab, Enter and the arrow keys. We will add keyboard access to map areas when the mapping library allows it.

## Preparation of this statement

This statement was prepared on 23 November 2026. It was last reviewed on 23 November 2026. The website was last
tested on 23 November 2026 by the project's developers, with automated axe-core checks (no serious or critical
issues on any page) and manual keyboard and screen checks in Chromium.
"""
)
