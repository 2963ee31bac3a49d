"""The books: chart of accounts, balanced immutable journal entries, reversals, period close."""
