"""System: health, backups, migrations status."""
