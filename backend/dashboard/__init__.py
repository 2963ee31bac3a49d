"""The Dinas dashboard: every koperasi of a region at a glance, retail sales trends from the
per-day sales totals the database keeps (`pos_day_total`), and the region's exports."""
