"""Who reads what the programme gives back. A feedback report and a certificate are the
entry's municipality's (its officers) and the organisers'; everything else about them
answers 404 (existence itself is private). Whether the edition's result may be printed at
all is `selectors.giveback_run` (public edition, or an organiser's preview)."""

import rules

from accounts.rules import is_organiser
from practices.rules import is_officer_of_entry

can_read_entry_giveback = is_officer_of_entry | is_organiser

rules.add_perm("giveback.view_feedback", can_read_entry_giveback)
rules.add_perm("giveback.release_comments", is_organiser)
rules.add_perm("giveback.view_certificates", is_organiser)
rules.add_perm("giveback.regenerate_booklet", is_organiser)
rules.add_perm("giveback.view_commentrelease", is_organiser)
rules.add_perm("giveback.view_booklet", is_organiser)
