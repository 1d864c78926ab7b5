"""Test tooling shared by the tests and the scripts: starting the app, driving Chromium.

Importable as ``support`` because ``tests/`` is on ``sys.path`` (pytest puts the rootdir
conftest's folder there; the scripts insert it themselves).
"""
