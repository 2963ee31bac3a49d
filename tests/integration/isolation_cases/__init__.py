"""Isolation cases per context (see tests/integration/test_isolation.py)."""
