"""Members (anggota) of a koperasi."""
