"""Near-duplicate detection for system prompts: MinHash over word 3-shingles with LSH
banding to find candidates, confirmed by the exact Jaccard similarity of the shingle sets."""

from __future__ import annotations

import hashlib
import re
import struct

_MASK = (1 << 61) - 1  # a Mersenne prime modulus for the hash family


def shingles(text: str, n: int = 3) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


class NearDuplicates:
    """``add(text)`` keeps a text unless one already kept has Jaccard similarity ≥ threshold."""

    def __init__(self, threshold: float = 0.7, bands: int = 16, rows: int = 4, seed: int = 0):
        self.threshold = threshold
        self.bands, self.rows = bands, rows
        rng = hashlib.sha256(f"minhash{seed}".encode()).digest()
        coeffs = []
        for i in range(bands * rows):
            h = hashlib.sha256(rng + struct.pack(">I", i)).digest()
            coeffs.append((int.from_bytes(h[:8], "big") % _MASK or 1, int.from_bytes(h[8:16], "big") % _MASK))
        self.coeffs = coeffs
        self.buckets: list[dict[tuple[int, ...], list[int]]] = [{} for _ in range(bands)]
        self.kept: list[set[str]] = []

    def _signature(self, sh: set[str]) -> list[int]:
        hashes = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") for s in sh]
        if not hashes:
            hashes = [0]
        return [min((a * x + b) % _MASK for x in hashes) for a, b in self.coeffs]

    def find(self, text: str) -> int | None:
        """Index of a kept near-duplicate of ``text``, or None."""
        sh = shingles(text)
        sig = self._signature(sh)
        for band, key in enumerate(self._bands(sig)):
            for j in self.buckets[band].get(key, ()):
                if jaccard(sh, self.kept[j]) >= self.threshold:
                    return j
        return None

    def add(self, text: str) -> bool:
        """Keep ``text`` and return True, or return False for a near-duplicate."""
        if self.find(text) is not None:
            return False
        sh = shingles(text)
        index = len(self.kept)
        self.kept.append(sh)
        for band, key in enumerate(self._bands(self._signature(sh))):
            self.buckets[band].setdefault(key, []).append(index)
        return True

    def _bands(self, sig: list[int]):
        for b in range(self.bands):
            yield tuple(sig[b * self.rows:(b + 1) * self.rows])
