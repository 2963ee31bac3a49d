"""Koroena's user interface: ReactPy pages (online), offline pages, locales, static files."""
