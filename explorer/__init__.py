"""The Coventry inequality explorer: data build, indicator registry and analysis (no Streamlit)."""
