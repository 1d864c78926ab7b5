"""Party Statements Dashboard: load, enrich, filter, aggregate and chart party statements.

The core (every module here except ``dashboard.ui``) is plain pandas/plotly and never imports
streamlit; the Streamlit layer lives in ``dashboard.ui``, ``app.py`` and ``pages/``.
"""

__version__ = "0.1.0"
