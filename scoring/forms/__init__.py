"""Forms of the scoring pages: the jury invitation, the juror's sheet and the assignments,
the results."""
