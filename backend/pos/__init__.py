"""Point of sale: devices, shifts, sales synced from offline phones exactly once."""
