"""Verification and identification metrics over cosine distances (pure functions).

A pair is "same" when its distance is at or under the threshold. ``core.recognition.evaluate``
computes these on a labelled photo set; they are kept apart so they can be checked alone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray


def accuracy_at(d: NDArray[np.float64], same: NDArray[np.bool_], threshold: float) -> float:
    return float(np.mean((d <= threshold) == same)) if len(d) else math.nan


def best_threshold(d: NDArray[np.float64], same: NDArray[np.bool_]) -> float:
    """The middle of the range of thresholds with the best accuracy (max margin)."""
    finite = np.unique(d[np.isfinite(d)])
    if len(finite) == 0:
        return 0.0
    candidates = np.concatenate(
        ([finite[0] - 1e-6], (finite[:-1] + finite[1:]) / 2, [finite[-1] + 1e-6])
    )
    accs = np.array([accuracy_at(d, same, t) for t in candidates])
    best = candidates[accs >= accs.max() - 1e-12]
    return float((best.min() + best.max()) / 2)


def roc_auc(d: NDArray[np.float64], same: NDArray[np.bool_]) -> float:
    pos, neg = -d[same], -d[~same]
    if len(pos) == 0 or len(neg) == 0:
        return math.nan
    pos = np.where(np.isfinite(pos), pos, -1e9)
    neg = np.where(np.isfinite(neg), neg, -1e9)
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def tar_at_far(d: NDArray[np.float64], same: NDArray[np.bool_], far: float) -> tuple[float, float]:
    """(TAR, threshold) at the strictest threshold keeping FAR ≤ far on these impostors."""
    neg = np.sort(d[~same])
    pos = d[same]
    if len(neg) == 0 or len(pos) == 0:
        return math.nan, math.nan
    allowed = math.floor(far * len(neg))  # impostors that may be accepted
    if allowed >= len(neg):
        return 1.0, float(neg[-1])
    t = float(neg[allowed])  # accept strictly below the first impostor not allowed
    return float(np.mean(pos < t)), t


def leave_identities_out(
    d: NDArray[np.float64], same: NDArray[np.bool_], ids: Sequence[frozenset[str]]
) -> tuple[float, list[float]]:
    """Each pair scored at a threshold chosen on the pairs sharing none of its identities."""
    correct = 0
    cache: dict[frozenset[str], float] = {}
    for i, key in enumerate(ids):
        if key not in cache:
            train = np.array([not (key & other) for other in ids])
            cache[key] = best_threshold(d[train], same[train]) if train.any() else math.nan
        correct += int((d[i] <= cache[key]) == same[i])
    return correct / len(ids) if ids else math.nan, sorted(set(cache.values()))


def calibrate_threshold(
    vectors: Mapping[str, NDArray[np.float32]],
    labels: Mapping[str, str],
    exclude: set[tuple[str, str]],
) -> tuple[float | None, int]:
    """The strictest-FAR threshold from impostor pairs *not* among the scored pairs.

    Zero false accepts on the calibration impostors: just below the closest one, rounded
    down to 3 decimals. Returns (threshold or None without calibration pairs, pair count).
    """
    files = sorted(vectors)
    closest = math.inf
    count = 0
    for i, a in enumerate(files):
        for b in files[i + 1 :]:
            if labels[a] == labels[b] or (a, b) in exclude or (b, a) in exclude:
                continue
            count += 1
            closest = min(closest, 1.0 - float(vectors[a] @ vectors[b]))
    if count == 0:
        return None, 0
    return math.floor((closest - 1e-9) * 1000) / 1000, count


def rank1_and_strangers(
    vectors: NDArray[np.float32], identities: Sequence[str], threshold: float
) -> dict[str, float | int]:
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    ids = np.asarray(identities)
    n = len(ids)
    probes = correct = 0
    for i in range(n):
        if (ids == ids[i]).sum() < 2:
            continue
        probes += 1
        correct += int(ids[int(np.argmax(sims[i]))] == ids[i])
    accepted = 0
    people_accepted: set[str] = set()
    for i in range(n):
        others = ids != ids[i]
        if not others.any():
            continue
        if 1.0 - float(np.max(sims[i][others])) <= threshold:
            accepted += 1
            people_accepted.add(str(ids[i]))
    return {
        "rank1_accuracy": correct / probes if probes else math.nan,
        "rank1_probes": probes,
        "strangers_accepted": accepted,
        "stranger_probes": n,
        "strangers_accepted_people": len(people_accepted),
    }
