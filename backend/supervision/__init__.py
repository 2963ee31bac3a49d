"""Supervision (pengawasan): a koperasi's legality record (profile, deed amendments, board
and supervisors, documents) kept current by its pengurus and verified by the Dinas, the
compliance calendar and the KUK class."""
