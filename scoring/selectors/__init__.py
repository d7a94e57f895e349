"""Reads of the scoring app, one module per subject: the jury, counts for the phase moves,
what is public, the ranking pages, a run's snapshot."""
