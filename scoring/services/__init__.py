"""Writes on the jury and rankings, one module per concern: jury.py (membership and
invitations), sheets.py (scoring), ranking.py (ranking runs and publication)."""
