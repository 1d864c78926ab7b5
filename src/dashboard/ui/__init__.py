"""The Streamlit layer: cached loaders (``cache``), sidebar and URL state (``state``), page
helpers (``page``) and the presenter-mode stylesheet (``theme``).

Only this package, ``app.py`` and ``pages/`` import streamlit; everything they show is computed
by the core modules of ``dashboard``.
"""
