"""Near-duplicate detection: MinHash sketches, LSH candidates, copy groups, shared passages."""

from akhbar.dedup.copies import FIT_BATCH, CopyDetector, CopyLink, CopyMatch, CopySettings
from akhbar.dedup.lsh import LSHIndex, collision_probability
from akhbar.dedup.minhash import MinHasher, Sketch, from_bytes, jaccard, to_bytes
from akhbar.dedup.passages import PassagePair, shared_passages

__all__ = [
    "FIT_BATCH",
    "CopyDetector",
    "CopyLink",
    "CopyMatch",
    "CopySettings",
    "LSHIndex",
    "MinHasher",
    "PassagePair",
    "Sketch",
    "collision_probability",
    "from_bytes",
    "jaccard",
    "shared_passages",
    "to_bytes",
]
