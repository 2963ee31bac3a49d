"""Accounts: people, their passkeys, roles in koperasi, invitations, sessions, audit log."""
