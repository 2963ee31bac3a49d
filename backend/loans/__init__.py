"""Loans (pinjaman): products, applications, schedules, payments, collectibility."""
