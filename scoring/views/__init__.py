"""The scoring pages: the jury invitation, the juror's pages, the organiser's jury pages and
the organiser's results pages."""
