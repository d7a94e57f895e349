"""Who may do what with follow-up reports, adoptions and questions. Asked by the services
(which refuse), the views and the templates alike."""

import rules

from accounts.rules import is_officer, is_officer_of, is_organiser
from competitions.rules import organisers_read

from .enums import FollowUpStatus


def follow_up_is_writable(report) -> bool:
    """A report asked for, or sent back by an organiser, may be written and sent."""
    return report.status in FollowUpStatus.writable


def follow_up_is_checkable(report) -> bool:
    """A report sent for checking waits for an organiser's decision."""
    return report.status in FollowUpStatus.checkable


@rules.predicate
def is_officer_of_report(user, report) -> bool:
    return report is not None and is_officer_of(user, report.practice.municipality_id)


@rules.predicate
def is_officer_of_another_municipality(user, practice) -> bool:
    """An approved officer whose municipality is not the practice's: who may record an
    adoption of it or ask its municipality a question (that it is public is the view's
    404, `practice_is_public`)."""
    return (practice is not None and is_officer(user)
            and user.municipality_id != practice.municipality_id)


@rules.predicate
def is_officer_of_question(user, question) -> bool:
    """The officers of the practice's municipality (who answer) and of the asking one."""
    return question is not None and (
        is_officer_of(user, question.practice.municipality_id)
        or is_officer_of(user, question.from_municipality_id))


rules.add_perm("uptake.view_own_follow_ups", is_officer)
rules.add_perm("uptake.write_follow_up", is_officer_of_report)
rules.add_perm("uptake.check_follow_ups", is_organiser)
rules.add_perm("uptake.adopt_practice", is_officer_of_another_municipality)
rules.add_perm("uptake.ask_about_practice", is_officer_of_another_municipality)
rules.add_perm("uptake.view_question", is_officer_of_question)
# Only the practice's own municipality answers a question.
rules.add_perm("uptake.answer_question", rules.predicate(
    lambda user, question: question is not None
    and is_officer_of(user, question.practice.municipality_id)))
rules.add_perm("uptake.view_follow_up_photo", is_officer_of_report | is_organiser)
# Follow-up reports, their photos and adoptions: read in the admin (questions are not there).
organisers_read("uptake", "followupreport", "followupphoto", "adoption")
