"""A browser-like Streamlit client over the app's own websocket, for timing reruns under load.

It speaks the protocol the Streamlit frontend speaks (protobuf BackMsg / ForwardMsg
on ``/_stcore/stream``): open a page, then change a widget or tap a button by its key, the way a
person picking from a list does, and time each rerun until ``script_finished``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState


@dataclass
class Run:
    """One script run as the client saw it."""

    seconds: float
    bytes_received: int
    elements: list = field(repr=False)
    map_bytes: int  # size of the message carrying the map component (0 if none)
    error: str | None = None


class Session:
    """One visitor: a websocket session on one page, holding its widget values like a browser tab."""

    def __init__(self, base_url: str, page: str) -> None:
        self.ws_url = base_url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
        self.origin = base_url.rstrip("/")
        self.page = page
        self.values: dict[str, str] = {}
        self.ids: dict[str, str] = {}
        self.ids_options: dict[str, list[str]] = {}
        self.buttons: dict[str, str] = {}  # key -> widget id, of the buttons the last run showed
        self.ws = None

    async def __aenter__(self) -> Session:
        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], origin=self.origin,
                                           max_size=None, open_timeout=60, ping_interval=None)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def open(self, query: str = "") -> Run:
        """The first run of the page, as when a link is opened."""
        return await self._run(query, [])

    async def choose(self, key: str, value: str) -> Run:
        """Pick ``value`` (the label shown) in the select box or radio whose key is ``key``."""
        self.values[key] = value
        states = [WidgetState(id=self.ids[k], string_value=v) for k, v in self.values.items() if k in self.ids]
        return await self._run("", states)

    async def press(self, key: str) -> Run:
        """Tap the button whose key is ``key`` (it must be on screen after the last run)."""
        states = [WidgetState(id=self.ids[k], string_value=v) for k, v in self.values.items() if k in self.ids]
        return await self._run("", [*states, WidgetState(id=self.buttons[key], trigger_value=True)])

    def options(self, key: str) -> list[str]:
        """The labels the widget with this key offered in the last run."""
        return list(self.ids_options.get(key, []))

    async def _run(self, query: str, states: list[WidgetState]) -> Run:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = self.page
        msg.rerun_script.context_info.url = f"{self.origin}/{self.page}" + (f"?{query}" if query else "")
        msg.rerun_script.widget_states.widgets.extend(states)
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        size, map_bytes, elements, error = 0, 0, [], None
        while True:
            raw = await self.ws.recv()
            size += len(raw)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                elements.append(element)
                which = element.WhichOneof("type")
                if which == "iframe" or (which == "component_instance"
                                         and "folium" in element.component_instance.component_name):
                    map_bytes = max(map_bytes, len(raw))  # the map: a static iframe, or st_folium (naive)
                if which == "exception":
                    error = element.exception.message or "exception"
            elif kind == "script_finished":
                break
        seconds = time.perf_counter() - start
        self._remember(elements)
        return Run(seconds, size, elements, map_bytes, error)

    def _remember(self, elements: list) -> None:
        self.buttons = {}
        for element in elements:
            which = element.WhichOneof("type")
            if which in ("selectbox", "radio"):
                widget = getattr(element, which)
                key = widget.id.rsplit("-", 1)[-1]
                self.ids[key] = widget.id
                self.ids_options[key] = list(widget.options)
            elif which == "button":
                self.buttons[element.button.id.rsplit("-", 1)[-1]] = element.button.id
