"""Salary histograms in buckets about 2% wide, and the percentiles read back from them (pure)."""

from __future__ import annotations

import math
from collections.abc import Iterable

# Bucket b holds yearly salaries in [RATIO**b, RATIO**(b+1)): about 2% wide at any level, so
# a percentile read from the buckets is within about 1% of the salary it stands for.
RATIO = 1.02
# No percentile from fewer salaries than this.
MIN_SALARIES = 20


def bucket_of(amount: float) -> int:
    """The bucket a positive yearly amount falls in."""
    return math.floor(math.log(amount) / math.log(RATIO))


def bucket_value(bucket: int) -> int:
    """The amount a bucket stands for: the geometric middle of its range."""
    return round(RATIO ** (bucket + 0.5))


def percentiles(
    counts: Iterable[tuple[int, int]], fractions: Iterable[float] = (0.25, 0.5, 0.75)
) -> list[int | None]:
    """Nearest-rank percentiles of a histogram given as (bucket, count) pairs; None for every
    fraction when it holds fewer than MIN_SALARIES salaries."""
    ordered = sorted((bucket, count) for bucket, count in counts if count > 0)
    total = sum(count for _, count in ordered)
    wanted = list(fractions)
    if total < MIN_SALARIES:
        return [None for _ in wanted]
    result: list[int | None] = []
    for fraction in wanted:
        rank = max(1, math.ceil(fraction * total))
        seen = 0
        for bucket, count in ordered:
            seen += count
            if seen >= rank:
                result.append(bucket_value(bucket))
                break
    return result


def share_below(counts: Iterable[tuple[int, int]], amount: int) -> tuple[int, int]:
    """(how many salaries lie in buckets below `amount`'s, how many in all)."""
    mine = bucket_of(amount)
    below = total = 0
    for bucket, count in counts:
        total += count
        if bucket < mine:
            below += count
    return below, total
