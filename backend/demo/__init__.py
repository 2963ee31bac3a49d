"""Demo data: a living koperasi region for newcomers and for tests."""
