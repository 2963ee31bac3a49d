"""Health assessment (penilaian kesehatan): versioned rule sets, figures from the books and
loans, checklists, scoring, and the record of assessments over time."""
