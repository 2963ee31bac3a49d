"""Public complaints (pengaduan) and consultation (konsultasi) with the Dinas."""
