"""The server's application: the router (``streamlit_app.py``) in Streamlit's ``st.App``, with our HTTP layer.

The data API's route and the front middleware of ``pages/_http.py`` (compression, cache and frame headers), and
its ``IconFont`` middleware (Streamlit's icon font answered by the app's subset of it).

``pages/_serve.py`` (``make run``, deploy/replicas.py, the tests) runs this file with ``streamlit run``, which finds
the ``st.App`` below and serves it; each visitor's session still runs ``streamlit_app.py``. It sits in ``pages/``
beside the other underscored helpers, so the project's top level stays as it is.
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from pages import _http

ROUTER = Path(__file__).resolve().parent.parent / "streamlit_app.py"
app = st.App(ROUTER, routes=_http.ROUTES,
             middleware=[Middleware(_http.Front, base_url=st.get_option("server.baseUrlPath") or ""),
                         Middleware(_http.IconFont, base_url=st.get_option("server.baseUrlPath") or "")])
