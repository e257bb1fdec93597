"""Two replicas behind HAProxy: each visitor sticks to one, downloads come from it, and a restart drops no one."""

import csv
import os
import shutil
import threading
import time
import urllib.request

import pytest

from tests.browser import idle, map_frame, offline_browser, rerun  # skips (or fails in CI) without Chromium

pytestmark = pytest.mark.browser

if not shutil.which("haproxy"):
    if os.environ.get("CI"):
        pytest.fail("Debian haproxy is required for the replica tests in CI (.ci/run installs it)", pytrace=False)
    pytest.skip("haproxy not installed: `apt-get install -y haproxy` to run the replica tests", allow_module_level=True)

COOKIE = "EXPLORER_REPLICA"


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    from deploy.replicas import Replicas

    with Replicas(2, 0, tmp_path_factory.mktemp("replicas"), env={"EXPLORER_WARM_UP": "0"}) as running:
        yield running


def replica_of(page) -> str:
    """The replica a page's session is on: the value of its sticky cookie."""
    return {c["name"]: c["value"] for c in page.context.cookies()}[COOKIE]


def download_csv(page, tmp_path) -> list[dict]:
    idle(page)  # the page has finished its runs, so the button is the final one
    with page.expect_download(timeout=60000) as started:
        page.get_by_role("button", name="Download this table (CSV)").click()
    path = tmp_path / started.value.suggested_filename
    started.value.save_as(path)
    assert started.value.suggested_filename.startswith("coventry-") and "-by-ward" in started.value.suggested_filename
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def served(replicas, name: str, what: str, timeout: float = 10) -> bool:
    """Whether HAProxy's log shows ``name`` answering a request whose path starts with ``what``."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        log = (replicas.run_dir / "haproxy.log").read_text(errors="replace")
        if any(f"replicas/{name} " in line and f'"GET {what}' in line for line in log.splitlines()):
            return True
        time.sleep(0.2)
    return False


def test_two_visitors_use_both_replicas_download_from_their_own_and_a_restart_of_one_spares_the_other(
        replicas, tmp_path):
    with offline_browser() as new_page:
        first, second = new_page(accept_downloads=True), new_page(accept_downloads=True)  # two visitors
        with first.expect_websocket(timeout=60000):
            first.goto(replicas.url)
        second.goto(replicas.url)  # balanced to the least-connected replica: not the one holding the first's session
        for page in (first, second):
            assert map_frame(page, 90), "the ward map was not drawn through the balancer"
        on = {replica_of(first): first, replica_of(second): second}
        assert set(on) == {"app1", "app2"}, "each replica should hold one of the two sessions"

        for name, page in on.items():  # a download lives in the memory of the replica that made it
            rows = download_csv(page, tmp_path)
            assert len(rows) == 18, name
            assert served(replicas, name, "/media/"), f"{name}'s download did not come from {name}"

        # The visitor on app1 leaves; app1 is drained and restarted while the one on app2 carries on.
        on["app1"].context.close()
        app1 = replicas.replicas[0]
        old_pid = app1.process.pid
        failed = []

        def restart_app1():
            try:
                replicas.restart(app1, 60, say=lambda line: None)
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                failed.append(exc)

        restart = threading.Thread(target=restart_app1)
        restart.start()
        while replicas.status()["app1"]["status"] == "UP" and restart.is_alive():
            time.sleep(0.1)
        stays = on["app2"]
        with rerun(stays):  # a rerun, during the restart
            stays.get_by_text("Show neighbourhoods (2021 LSOAs)").click()
        assert map_frame(stays, 60, shapes=203), "the session on app2 stopped working while app1 restarted"
        restart.join(timeout=240)
        assert not restart.is_alive() and not failed, f"app1 did not come back: {failed}"
        assert app1.process.pid != old_pid and replicas.status()["app1"]["status"].startswith("UP")
        # The restarted replica takes the next visitor (app2 still holds the second one's session).
        load = urllib.request.Request(replicas.url, headers={"Sec-Fetch-Dest": "document"})
        with urllib.request.urlopen(load, timeout=30) as reply:
            assert f"{COOKIE}=app1" in reply.headers["Set-Cookie"]
        assert first.outside == second.outside == []
