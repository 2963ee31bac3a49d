"""Outreach: education material, news and training events (diklat) of the Dinas and
the koperasi (decision 0017)."""
