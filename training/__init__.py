"""Internet-marketing courses, village-hall cohorts and programme outcomes (a later issue)."""
