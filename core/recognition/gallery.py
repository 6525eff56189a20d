"""The in-memory gallery: every enrolled template as rows of one normalised float32 matrix.

Matching a probe is a single matrix-vector product (cosine similarity of unit vectors), not
a loop over people. Readers take an immutable snapshot; a writer builds the next one and
swaps it in under a lock, so a match in progress never sees a half-written gallery.

The kiosk builds a whole gallery from the store (``from_templates``) and builds a new one
when the store's templates change (core/runtime/worker.py watches a fingerprint of them:
an enrollment here, a sync's pull or erasure, a command in another process); there is no
per-person update to keep in step with the store.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
from numpy.typing import NDArray

from core.recognition.embed import l2_normalise

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Match(Generic[K]):
    """The nearest template's owner and distance, and the nearest *other* person's."""

    key: K | None
    distance: float  # cosine distance, 1 - similarity; inf for an empty gallery
    second_key: K | None = None
    second_distance: float = float("inf")

    def accepted(self, threshold: float) -> bool:
        return self.key is not None and self.distance <= threshold


@dataclass(frozen=True, eq=False)
class _Snapshot(Generic[K]):
    matrix: NDArray[np.float32]  # (capacity, dim); rows [:n] are live
    owners: NDArray[np.int64]  # (capacity,) index into keys
    n: int
    keys: tuple[K, ...]
    key_index: dict[K, int]


class Gallery(Generic[K]):
    """Templates of one recognition model, keyed by employee (any hashable id)."""

    def __init__(self, dim: int, model_name: str = "") -> None:
        if dim < 1:
            raise ValueError("dim must be positive")
        self.dim = dim
        self.model_name = model_name
        self._write = threading.Lock()
        self._snap: _Snapshot[K] = _Snapshot(
            np.zeros((0, dim), np.float32), np.zeros(0, np.int64), 0, (), {}
        )

    # -- reading (lock-free: one attribute read gives a consistent snapshot) ------------------

    def __len__(self) -> int:
        return self._snap.n

    @property
    def people(self) -> int:
        snap = self._snap
        return len(np.unique(snap.owners[: snap.n]))

    def keys(self) -> list[K]:
        snap = self._snap
        present = np.unique(snap.owners[: snap.n])
        return [snap.keys[i] for i in present]

    def templates(self, key: K) -> NDArray[np.float32]:
        snap = self._snap
        idx = snap.key_index.get(key)
        if idx is None:
            return np.zeros((0, self.dim), np.float32)
        rows: NDArray[np.float32] = snap.matrix[: snap.n][snap.owners[: snap.n] == idx].copy()
        return rows

    def match(self, vector: NDArray[np.floating]) -> Match[K]:
        """Nearest template by cosine distance: one matrix-vector product over the gallery."""
        snap = self._snap
        if snap.n == 0:
            return Match(None, float("inf"))
        q = l2_normalise(np.asarray(vector, np.float32).reshape(1, -1))[0]
        if q.shape[0] != self.dim:
            raise ValueError(f"expected a {self.dim}-d vector, got {q.shape[0]}-d")
        sims = snap.matrix[: snap.n] @ q
        best = int(np.argmax(sims))
        owner = int(snap.owners[best])
        result_key = snap.keys[owner]
        distance = float(1.0 - sims[best])
        others = snap.owners[: snap.n] != owner
        if not others.any():
            return Match(result_key, distance)
        masked = np.where(others, sims, -np.inf)
        second = int(np.argmax(masked))
        return Match(
            result_key,
            distance,
            snap.keys[int(snap.owners[second])],
            float(1.0 - masked[second]),
        )

    # -- writing ----------------------------------------------------------------------------

    @classmethod
    def from_templates(
        cls, dim: int, model_name: str, rows: Iterable[tuple[K, str, bytes]]
    ) -> Gallery[K]:
        """Build from stored templates ``(employee, model_name, float32 bytes)``.

        Templates of other models are skipped: embeddings of different models are not
        comparable. A template of the wrong length raises ValueError.
        """
        gallery: Gallery[K] = cls(dim, model_name)
        grouped: dict[K, list[NDArray[np.float32]]] = {}
        for key, model, data in rows:
            if model != model_name:
                continue
            vec = np.frombuffer(data, dtype="<f4")
            if vec.size != dim:
                raise ValueError(f"a template of {key} has {vec.size} values, expected {dim}")
            grouped.setdefault(key, []).append(vec.astype(np.float32))
        gallery.replace_all((key, np.stack(vecs)) for key, vecs in grouped.items())
        return gallery

    def replace_all(self, items: Iterable[tuple[K, NDArray[np.floating]]]) -> None:
        """Full rebuild (start-up, or after a sync that touched many people)."""
        keys: list[K] = []
        key_index: dict[K, int] = {}
        rows: list[NDArray[np.float32]] = []
        owners: list[int] = []
        for key, vectors in items:
            vecs = self._check(vectors)
            if key not in key_index:
                key_index[key] = len(keys)
                keys.append(key)
            rows.append(vecs)
            owners.extend([key_index[key]] * len(vecs))
        matrix = np.concatenate(rows) if rows else np.zeros((0, self.dim), np.float32)
        with self._write:
            self._snap = _Snapshot(
                np.ascontiguousarray(matrix),
                np.asarray(owners, np.int64),
                len(owners),
                tuple(keys),
                key_index,
            )

    def add(self, key: K, vectors: NDArray[np.floating]) -> None:
        """Append templates for one person (building a gallery sample by sample)."""
        vecs = self._check(vectors)
        if len(vecs) == 0:
            return
        with self._write:
            snap = self._snap
            keys, key_index = snap.keys, snap.key_index
            if key not in key_index:
                keys = (*keys, key)
                key_index = {**key_index, key: len(keys) - 1}
            matrix = np.concatenate([snap.matrix[: snap.n], vecs])
            owners = np.concatenate([snap.owners[: snap.n], np.full(len(vecs), key_index[key])])
            self._snap = _Snapshot(matrix, owners.astype(np.int64), len(owners), keys, key_index)

    def _check(self, vectors: NDArray[np.floating]) -> NDArray[np.float32]:
        arr = np.asarray(vectors, np.float32)
        if arr.ndim == 1:
            arr = arr.reshape(1, -1)
        if arr.ndim != 2 or (arr.size and arr.shape[1] != self.dim):
            raise ValueError(f"expected {self.dim}-d vectors, got shape {arr.shape}")
        if arr.size == 0:
            return np.zeros((0, self.dim), np.float32)
        if not np.all(np.isfinite(arr)):
            raise ValueError("templates contain NaN or infinity")
        return l2_normalise(arr)
