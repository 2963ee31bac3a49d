"""Periodic reports to the Dinas: forms as data, filled offline, submitted exactly once."""
