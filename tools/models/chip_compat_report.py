"""The numbers of ``tools.models.chip_compat`` from the measured vectors (pure functions).

Distances are cosine distances between unit vectors (``1 - a·b``), as the gallery uses; a
face matches a template at or under the threshold, and the gallery answers with the
nearest template (core/recognition/gallery.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.recognition.evaluate import Dataset

Vector = NDArray[np.float32]
Vectors = Mapping[str, Vector]

# (name, gallery, probes): what is stored, what the camera computes.
SCENARIOS = (
    ("before", "old", "old"),
    ("old templates, new probes", "old", "new"),
    ("re-embedded from the stored photo", "thumb", "new"),
    ("everyone enrolled again", "new", "new"),
)


@dataclass
class Measured:
    """The vectors of every labelled photo (see tools.models.chip_compat)."""

    identity: dict[str, str] = field(default_factory=dict)
    old: dict[str, Vector] = field(default_factory=dict)
    new: dict[str, Vector] = field(default_factory=dict)
    thumb: dict[str, Vector] = field(default_factory=dict)  # new pipeline on the stored photo
    offsets: dict[str, NDArray[np.float64]] = field(default_factory=dict)  # new - old, chip px
    failed: list[str] = field(default_factory=list)

    def kind(self, name: str) -> dict[str, Vector]:
        out: dict[str, Vector] = getattr(self, name)
        return out


def distance(a: Vector, b: Vector) -> float:
    return 1.0 - float(a @ b)


def spread(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    v = np.asarray(values)
    q = np.percentile(v, [5, 50, 95])
    return {
        "n": len(v),
        "min": float(v.min()),
        "p5": float(q[0]),
        "median": float(q[1]),
        "p95": float(q[2]),
        "max": float(v.max()),
    }


def distributions(m: Measured) -> dict[str, dict[str, float]]:
    """Old template of photo f against the probe of another photo g (and f = g: 'self')."""
    out: dict[str, list[float]] = {
        k: [] for k in ("self", "genuine_old_old", "genuine_old_new", "impostor_old_old")
    }
    out["impostor_old_new"] = []
    for f, t in m.old.items():
        if f in m.new:
            out["self"].append(distance(t, m.new[f]))
        for g in m.old:
            if g == f:
                continue
            kind = "genuine" if m.identity[f] == m.identity[g] else "impostor"
            out[f"{kind}_old_old"].append(distance(t, m.old[g]))
            if g in m.new:
                out[f"{kind}_old_new"].append(distance(t, m.new[g]))
    return {k: spread(v) for k, v in out.items()}


def verification(
    m: Measured, dataset: Dataset, threshold: float, gallery: str, probes: str
) -> dict[str, float]:
    """The set's pairs, each scored both ways round (template of one, probe of the other)."""
    stored, seen = m.kind(gallery), m.kind(probes)
    right = wrong_accept = wrong_reject = 0
    for a, b, same in dataset.pairs:
        for t, p in ((a, b), (b, a)):
            d = distance(stored[t], seen[p]) if t in stored and p in seen else math.inf
            accepted = d <= threshold
            right += int(accepted == same)
            wrong_accept += int(accepted and not same)
            wrong_reject += int(same and not accepted)
    n = 2 * len(dataset.pairs)
    return {
        "accuracy": right / n if n else math.nan,
        "false_accepts": wrong_accept,
        "false_rejects": wrong_reject,
        "comparisons": n,
    }


def identification(m: Measured, threshold: float, gallery: str, probes: str) -> dict[str, Any]:
    """Leave-one-out: each photo probed against the templates of every other photo."""
    stored, seen = m.kind(gallery), m.kind(probes)
    per_probe: dict[str, dict[str, Any]] = {}
    for f, p in seen.items():
        own = [
            distance(t, p) for g, t in stored.items() if g != f and m.identity[g] == m.identity[f]
        ]
        if not own:
            continue  # nobody else of this person is enrolled
        others = [distance(t, p) for g, t in stored.items() if m.identity[g] != m.identity[f]]
        nearest_own, nearest_other = min(own), min(others, default=math.inf)
        per_probe[f] = {
            "nearest_own": nearest_own,
            "nearest_other": nearest_other,
            "recognised": nearest_own <= threshold and nearest_own <= nearest_other,
            "taken_for_someone_else": nearest_other <= threshold and nearest_other < nearest_own,
            "stranger_accepted": nearest_other <= threshold,
        }
    return {
        "probes": len(per_probe),
        "recognised": sum(v["recognised"] for v in per_probe.values()),
        "taken_for_someone_else": sum(v["taken_for_someone_else"] for v in per_probe.values()),
        "strangers_accepted": sum(v["stranger_accepted"] for v in per_probe.values()),
        "per_probe": per_probe,
    }


def offsets(m: Measured) -> dict[str, Any]:
    """Where the source's points fall against dlib's, in pixels of the 150 px chip."""
    if not m.offsets:
        return {}
    o = np.stack(list(m.offsets.values()))  # (photos, 5, 2)
    err = np.linalg.norm(o, axis=2)
    return {
        "mean_error_px": float(err.mean()),
        "max_error_px": float(err.max()),
        "per_point_mean_offset_px": [[round(float(x), 2) for x in p] for p in o.mean(axis=0)],
        "per_point_mean_error_px": [round(float(x), 2) for x in err.mean(axis=0)],
    }


def people(m: Measured, ids: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    before, after = ids["before"]["per_probe"], ids["old templates, new probes"]["per_probe"]
    for person in sorted(set(m.identity.values())):
        files = [f for f, p in m.identity.items() if p == person]
        row: dict[str, Any] = {"person": person, "photos": len(files)}
        self_d = [distance(m.old[f], m.new[f]) for f in files if f in m.new]
        row["self_max"] = max(self_d, default=math.nan)
        for key, table in (("old", before), ("new", after)):
            probes = [table[f] for f in files if f in table]
            row[f"nearest_own_max_{key}"] = max(
                (p["nearest_own"] for p in probes), default=math.nan
            )
            row[f"nearest_other_min_{key}"] = min(
                (p["nearest_other"] for p in probes), default=math.nan
            )
        for name, _, _ in SCENARIOS:
            table = ids[name]["per_probe"]
            row[name] = sum(bool(table[f]["recognised"]) for f in files if f in table)
        row["probes"] = sum(f in before for f in files)
        lost = row["before"] > 0 and row["old templates, new probes"] == 0
        fewer = row["old templates, new probes"] < row["before"]
        row["verdict"] = "LOST" if lost else "fewer" if fewer else "ok"
        rows.append(row)
    return rows


def report(m: Measured, dataset: Dataset, threshold: float, source: str) -> dict[str, Any]:
    ids = {name: identification(m, threshold, g, p) for name, g, p in SCENARIOS}
    rows = people(m, ids)
    before, after = ids["before"]["per_probe"], ids["old templates, new probes"]["per_probe"]
    return {
        "source": source,
        "threshold": threshold,
        "photos": len(m.old),
        "failed": m.failed,
        "self_euclidean_max": max(
            (float(np.linalg.norm(m.old[f] - m.new[f])) for f in m.new), default=math.nan
        ),
        "landmarks": offsets(m),
        "distributions": distributions(m),
        "verification": {
            "old templates, old probes": verification(m, dataset, threshold, "old", "old"),
            "old templates, new probes": verification(m, dataset, threshold, "old", "new"),
            "re-embedded from the stored photo": verification(
                m, dataset, threshold, "thumb", "new"
            ),
            "new templates, new probes": verification(m, dataset, threshold, "new", "new"),
        },
        "identification": {
            k: {x: y for x, y in v.items() if x != "per_probe"} for k, v in ids.items()
        },
        "people": rows,
        "people_lost": [r["person"] for r in rows if r["verdict"] == "LOST"],
        "probes_lost": sorted(
            f for f in before if before[f]["recognised"] and not after.get(f, {}).get("recognised")
        ),
    }


def _q(s: Mapping[str, float]) -> str:
    if not s.get("n"):
        return "n/a"
    return (
        f"min {s['min']:.4f}  p5 {s['p5']:.4f}  median {s['median']:.4f}  "
        f"p95 {s['p95']:.4f}  max {s['max']:.4f}  (n={s['n']})"
    )


def format_report(r: Mapping[str, Any]) -> str:
    t = r["threshold"]
    d = r["distributions"]
    lines = [
        f"Landmark source   {r['source']}    threshold {t:.4f} (cosine distance)",
        f"Photos            {r['photos']}"
        + (f"; failed: {'; '.join(r['failed'])}" if r["failed"] else ""),
    ]
    lm = r["landmarks"]
    if lm:
        lines.append(
            f"Points vs dlib's  mean {lm['mean_error_px']:.2f} px, max {lm['max_error_px']:.2f} px "
            f"in the 150 px chip; per point mean offset (dx, dy) {lm['per_point_mean_offset_px']}"
        )
    lines += [
        "",
        "Distances (old template of one photo against a probe)",
        f"  same photo, old vs new      {_q(d['self'])}",
        f"    (euclidean distance, max  {r['self_euclidean_max']:.6f})",
        f"  same person, old vs old     {_q(d['genuine_old_old'])}",
        f"  same person, old vs new     {_q(d['genuine_old_new'])}",
        f"  other person, old vs old    {_q(d['impostor_old_old'])}",
        f"  other person, old vs new    {_q(d['impostor_old_new'])}",
        "",
        "Verification on the set's pairs (each pair both ways round)",
    ]
    for name, v in r["verification"].items():
        lines.append(
            f"  {name:<36} {100 * v['accuracy']:.2f} %  ({v['false_accepts']} false accepts, "
            f"{v['false_rejects']} false rejects of {v['comparisons']})"
        )
    lines += ["", "Identification, leave one out (gallery: every other photo)"]
    for name, v in r["identification"].items():
        lines.append(
            f"  {name:<36} {v['recognised']}/{v['probes']} recognised, "
            f"{v['taken_for_someone_else']} taken for someone else, "
            f"{v['strangers_accepted']} strangers accepted"
        )
    lines += [
        "",
        "Per person: worst probe's distance to its own nearest old template (old probe -> "
        "new probe), nearest other person, recognised probes before / old templates + new "
        "probes / re-embedded from stored photo / all enrolled again",
    ]
    for p in r["people"]:
        lines.append(
            f"  {p['person']:<10} {p['photos']:>2} photos  self {p['self_max']:.4f}  "
            f"own {p['nearest_own_max_old']:.4f} -> {p['nearest_own_max_new']:.4f}  "
            f"other {p['nearest_other_min_old']:.4f} -> {p['nearest_other_min_new']:.4f}  "
            f"{p['before']}/{p['old templates, new probes']}/"
            f"{p['re-embedded from the stored photo']}/{p['everyone enrolled again']} "
            f"of {p['probes']}  {p['verdict']}"
        )
    lost = r["people_lost"]
    lines += [
        "",
        f"Would stop being recognised: {', '.join(lost) if lost else 'nobody'}; "
        f"probes no longer recognised: {', '.join(r['probes_lost']) or 'none'}",
    ]
    return "\n".join(lines) + "\n"
