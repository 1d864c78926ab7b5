"""The dashboard as an ASGI app: ``app.py`` behind one middleware that serves Streamlit's front
end from memory (``dashboard.ui.assets``). ``dashboard serve`` runs this file with
``streamlit run``, which finds the ``st.App`` below and serves it with uvicorn; everything else -
pages, config, the websocket - is the same as ``streamlit run app.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import dashboard  # noqa: F401 - installed with `pip install -e .`
except ImportError:  # running from a checkout without installing: use src/ directly
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

import streamlit as st
from starlette.middleware import Middleware

from dashboard.ui.assets import FrontendAssets

app = st.App(
    str(Path(__file__).resolve().parent / "app.py"), middleware=[Middleware(FrontendAssets)]
)
