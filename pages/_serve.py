"""Start the app: ``python -m pages._serve [streamlit options]`` (what ``make run`` does).

Streamlit still treats a ``pages/`` folder beside the main script as a legacy
multipage app until ``st.navigation`` first runs. A visitor whose first request
is a deep link (``/ward_profile?ward=...``) would then get the page script run
on its own, without the router's page settings. Switching the legacy mode off
before the server starts makes every run go through ``streamlit_app.py``.

Before the server listens, ``pages/_warm.py`` fills the shared caches (unless
``EXPLORER_WARM_UP=0``), so the health endpoint answers only once a first visit
would be as fast as the hundredth.

With ``--build-store`` (what ``make run`` passes), the national store is first built in the background when it
is missing or out of date (:mod:`explorer.pipeline.background`), its progress bar drawn in this terminal; the
app serves the default authority meanwhile, and every other one once the store is in.
"""

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from pages import _warm

# pages/_app.py wraps the router (streamlit_app.py) in st.App with the data API and front middleware (pages/_http.py)
APP = Path(__file__).resolve().parent / "_app.py"
BUILD_STORE = "--build-store"


def main() -> None:
    PagesManager.uses_pages_directory = False
    if BUILD_STORE in sys.argv:
        sys.argv.remove(BUILD_STORE)
        from explorer.pipeline import background  # tqdm: only for the terminal's bar

        background.follow(background.start())
    if _warm.enabled() and "--help" not in sys.argv:
        _warm.warm()
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
