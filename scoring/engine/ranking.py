"""Competition ranking with a tolerance and tie-breaks by criteria (rules 5 and 6).

Several independent rankings (thematic areas, or bootstrap samples) are ranked at once:
`group` says which ranking each item belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.engine.constants import TIE_TOLERANCE


@dataclass(frozen=True, eq=False)
class Ranks:
    """Per item: competition rank in its group, and the sizes of its tie classes."""

    rank: np.ndarray  # 1-based standard competition rank (1, 2, 2, 4)
    total_tie_size: np.ndarray  # items of the group whose totals are equal to this one's
    final_tie_size: np.ndarray  # items still equal after the criteria (1 = not shared)

    @property
    def tie_broken_by_criteria(self) -> np.ndarray:
        """Equal on total with another item, but criteria separated at least one of them."""
        return self.total_tie_size > self.final_tie_size

    @property
    def shared_rank(self) -> np.ndarray:
        return self.final_tie_size > 1


def _refine(key: np.ndarray, values: np.ndarray, tolerance: float) -> np.ndarray:
    """Split each class of `key` by `values`, descending; values within `tolerance` stay tied.

    Returns new class numbers, increasing in rank order. Tolerance is applied between
    neighbours in sorted order (single linkage), the only way to make a tolerance-based
    'equal' partition the items; for scores on an integer scale it never chains.
    """
    order = np.lexsort((-values, key))
    sorted_key = key[order]
    sorted_values = values[order]
    starts = np.empty(len(order), dtype=bool)
    starts[:1] = True
    starts[1:] = (sorted_key[1:] != sorted_key[:-1]) | (
        sorted_values[:-1] - sorted_values[1:] > tolerance
    )
    refined = np.empty(len(order), dtype=np.intp)
    refined[order] = np.cumsum(starts)
    return refined


def _refine_tied(key: np.ndarray, values: np.ndarray, tolerance: float) -> np.ndarray | None:
    """`_refine`, sorting only the items that still share a class with another.

    After the totals, most classes hold one item; refining by each criterion only has to
    order the tied ones (the bootstrap ranks hundreds of thousands of items, so this is most
    of the engine's time). Class numbers stay dense and increasing in rank order. None when
    no class holds two items.
    """
    sizes = np.bincount(key)
    tied = np.flatnonzero(sizes[key] > 1)
    if tied.size == 0:
        return None
    tied_key = key[tied]
    sub = _refine(tied_key, values[tied], tolerance)  # 1..S, nested in the classes, in order
    old_of_sub = np.empty(int(sub.max()) + 1, dtype=key.dtype)
    old_of_sub[sub] = tied_key
    old_of_sub = old_of_sub[1:]  # non-decreasing: _refine orders by class first
    split = np.bincount(old_of_sub, minlength=sizes.size)
    parts = np.where(split > 0, split, 1)
    parts[0] = 0  # class numbers start at 1
    first_new = np.cumsum(parts) - parts + 1  # the first new number of each old class
    refined = first_new[key]
    first_sub = np.searchsorted(old_of_sub, tied_key, side="left") + 1
    refined[tied] = first_new[tied_key] + (sub - first_sub)
    return refined


def competition_ranks(
    group: np.ndarray,
    total: np.ndarray,
    criterion_scores: np.ndarray,
    tolerance: float = TIE_TOLERANCE,
) -> Ranks:
    """Rank items within groups: total descending, then each criterion descending.

    Items equal (within `tolerance`) on the total and on every criterion share a rank, and
    the next rank skips accordingly (standard competition ranking).
    """
    count = len(total)
    if count == 0:
        empty = np.zeros(0, dtype=np.intp)
        return Ranks(empty, empty, empty)
    key = _refine(np.asarray(group), np.asarray(total, dtype=np.float64), tolerance)
    total_key = key
    for c in range(criterion_scores.shape[1]):
        refined = _refine_tied(key, criterion_scores[:, c], tolerance)
        if refined is None:  # every class is a single item: the criteria change nothing
            break
        key = refined

    # Classes are numbered in rank order, so sorting by class sorts by group then rank.
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    sorted_group = np.asarray(group)[order]
    group_start = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    class_start = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    group_of_position = np.cumsum(np.r_[True, sorted_group[1:] != sorted_group[:-1]]) - 1
    class_of_position = np.cumsum(np.r_[True, sorted_key[1:] != sorted_key[:-1]]) - 1
    first_in_class = class_start[class_of_position]
    rank_sorted = first_in_class - group_start[group_of_position] + 1
    rank = np.empty(count, dtype=np.intp)
    rank[order] = rank_sorted
    return Ranks(
        rank=rank,
        total_tie_size=np.bincount(total_key)[total_key],
        final_tie_size=np.bincount(key)[key],
    )
