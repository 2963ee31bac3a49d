"""Savings (simpanan): pokok, wajib, sukarela per member, each movement posted to the books."""
