"""The typed key a place is opened by (and cached under): an authority and the folders its figures are read from."""

from __future__ import annotations

from dataclasses import dataclass

from explorer import paths


@dataclass(frozen=True, order=True)
class PlaceKey:
    """Which authority, read from which national store and which folder of local packs.

    Hashable and small: the cache adapter keys every cached view by it, so a changed data folder
    (a test's, a deployment's) never serves another folder's figures.

    Attributes
    ----------
    code : str
        The authority's 2025 code (``E08000026``).
    store : str
        The national store folder (``data/store/v1`` or ``$EXPLORER_STORE_DIR``).
    packs : str
        The folder of local packs (``data/packs`` or ``$EXPLORER_PACKS_DIR``).
    """

    code: str
    store: str
    packs: str

    @classmethod
    def of(cls, code: str) -> PlaceKey:
        """The key of ``code`` read from the folders this process is set to use (:mod:`explorer.paths`)."""
        return cls(code, str(paths.store_dir()), str(paths.packs_dir()))
