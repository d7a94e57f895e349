"""URL configurations of the scoring app: the juror's pages, the organiser's jury pages,
the organiser's results pages."""
