"""The app's shared interface parts: page furniture (:mod:`ui.common`), filters, feature details and
the map's progress view. Pages (``app_pages/``) are built from these; like pages, ui/ may import
streamlit, and geo/ and layers/ never import ui/.
"""
