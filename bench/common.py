"""What the benchmark (bench/run.py), the soak (bench/soak.py) and the kiosk tap (bench/kiosk_tap.py) share.

The server each of them measures, started by the one launcher (deploy/launch.py), a headless Chromium, and
the time a simulated person reads between choices. ``bench/run.py`` runs the other two; neither imports it.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil

from deploy import launch

REPO = launch.REPO
THINK_S = (2.0, 5.0)  # a person reading the map between choices, in seconds


@contextlib.contextmanager
def serve(variant: str = "optimised", env: dict[str, str] | None = None,
          repo: Path = REPO) -> Iterator[tuple[str, psutil.Process]]:
    """Start one variant on a free port (with extra environment); yield (url, process) once it is healthy.

    ``optimised`` is the app as ``make run`` starts it from the checkout ``repo``; ``naive`` is bench/naive's
    router and ``floor`` a page with only the ward map, each in a folder of its own serving the same static files.
    """
    env = {"BENCH_REPO": str(repo), "PYTHONPATH": str(repo), **(env or {})}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        if variant == "optimised":
            command = launch.APP
        else:
            script = {"naive": "router.py", "floor": "floor.py"}[variant]
            shutil.copy(REPO / "bench" / "naive" / script, Path(tmp) / "streamlit_app.py")
            (Path(tmp) / "static").symlink_to(REPO / "static")
            gc = "true" if variant == "naive" else "false"
            command = (sys.executable, "-m", "streamlit", "run", str(Path(tmp) / "streamlit_app.py"),
                       "--runner.postScriptGC", gc, "--server.enableStaticServing", "true",
                       "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none")
        # the app warms its caches before it listens (pages/_warm.py)
        with launch.serving(command, env, cwd=repo, log=Path(tmp) / "server.log", name=f"the {variant} server") as s:
            yield s.url, psutil.Process(s.process.pid)


@contextlib.contextmanager
def chromium(playwright):
    """A headless Debian Chromium started by ``playwright`` (``sync_playwright()``'s), closed on the way out."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    browser = playwright.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu",
                                                                    "--disable-background-networking"])
    try:
        yield browser
    finally:
        browser.close()
