"""The organiser role: staff who configure editions. Other roles build on this module."""

import rules


@rules.predicate
def is_organiser(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


rules.add_perm("competitions.organise", is_organiser)


def organisers_manage(app_label: str, *model_names: str) -> None:
    """Organisers use the admin for these models: module access and every model action.

    Organisers are staff, not superusers, so every check still goes through these rules.
    """
    rules.add_perm(app_label, is_organiser)
    for model_name in model_names:
        for action in ("view", "add", "change", "delete"):
            rules.add_perm(f"{app_label}.{action}_{model_name}", is_organiser)


def organisers_read(app_label: str, *model_names: str) -> None:
    """Organisers read these models in the admin (records written by services or the beat;
    their admin classes are read-only): module access and the view permission only."""
    if not rules.perm_exists(app_label):
        rules.add_perm(app_label, is_organiser)
    for model_name in model_names:
        rules.add_perm(f"{app_label}.view_{model_name}", is_organiser)


organisers_manage("competitions", "edition", "thematicarea", "criterion", "rubriclevel",
                  "municipality")
