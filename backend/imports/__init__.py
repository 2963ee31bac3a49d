"""Imports from spreadsheets: opening balances and members with their savings balances."""
