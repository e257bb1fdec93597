"""The read layer: one :class:`Place` record for any English authority, opened by a typed :class:`PlaceKey`.

Below it, the pipeline writes the national store and the local packs; above it, the page models ask a place what
it holds. Nothing here builds, and nothing imports Streamlit.
"""

from explorer.places.key import PlaceKey
from explorer.places.memo import per_place
from explorer.places.pack import LocalPack
from explorer.places.place import NotHeld, NotHeldYet, Place, Sources, open_place

__all__ = ["LocalPack", "NotHeld", "NotHeldYet", "Place", "PlaceKey", "Sources", "open_place", "per_place"]
