"""Geography for the Coventry explorer: boundaries, lookups, grids and maps (no Streamlit)."""
