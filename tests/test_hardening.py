"""Production and kiosk hardening: the configuration, the locked dependencies, and what visitors can reach."""

import re
import tomllib

from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

CONFIG = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())


def test_server_configuration_is_hardened():
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["server"]["enableCORS"] is True
    assert CONFIG["server"]["fileWatcherType"] == "none" and CONFIG["server"]["runOnSave"] is False
    assert CONFIG["server"]["maxUploadSize"] <= 1
    assert CONFIG["client"]["showErrorDetails"] == "none"
    assert CONFIG["client"]["toolbarMode"] == "minimal"
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["runner"]["magicEnabled"] is False


def test_no_page_accepts_uploads_or_runs_supplied_code():
    for path in [REPO / "streamlit_app.py", *(REPO / "pages").glob("*.py")]:
        source = path.read_text()
        assert not re.search(r"file_uploader|camera_input|audio_input|chat_input|exec\(|eval\(", source), path.name
        if "unsafe_allow_javascript=True" in source:  # only the app's own script files, never inline code
            own = {"kiosk.py": ("/app/static/kiosk.js", "/app/static/kiosk_keys.js"),
                   "streamlit_app.py": ("/app/static/history.js",)}
            assert path.name in own and all(script in source for script in own[path.name]), path.name


def test_error_details_are_hidden_from_visitors(tmp_path):
    script = tmp_path / "boom.py"
    script.write_text("raise RuntimeError('secret path /srv/data/token=abc123')\n")
    at = AppTest.from_file(str(script), default_timeout=30)
    at.run()
    assert at.exception, "the error must still be reported"
    assert "abc123" not in at.exception[0].message and "redacted" in at.exception[0].message


def test_every_dependency_is_locked_with_hashes_at_the_pinned_version():
    lock = (REPO / "requirements.lock").read_text()
    pinned = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+) \\$", lock, flags=re.MULTILINE))
    pinned = {k.lower().replace("_", "-"): v for k, v in pinned.items()}
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    for requirement in wanted:
        name, version = requirement.split("==")
        assert pinned.get(name.lower().replace("_", "-")) == version, f"{requirement} is not locked at that version"
    blocks = re.findall(r"^[A-Za-z0-9_.\-]+==\S+ \\\n((?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", lock,
                        flags=re.MULTILINE)
    assert len(blocks) == len(pinned), "every locked package carries its hashes"
