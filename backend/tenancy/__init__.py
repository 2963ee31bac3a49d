"""Tenancy: regions (a Dinas), koperasi (the tenant) and their outlets."""
