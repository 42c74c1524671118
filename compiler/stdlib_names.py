"""Method names of the `collections` types a rule may use (``compiler/stdlib.py`` holds the
module table; these live apart so ``subset`` can read them without an import cycle)."""

from __future__ import annotations

# checked like the value types' methods; not `Counter.elements`
# (`Counter({'a': 10**9}).elements()` is a memory bomb)
COLLECTION_METHODS: frozenset[str] = frozenset(
    """most_common subtract total appendleft popleft extendleft rotate maxlen
    move_to_end default_factory""".split()
) | frozenset(  # compiled `re` patterns and their matches (not `.re`, `.string`)
    """match search fullmatch findall finditer sub subn pattern flags groups group groupdict
    start end span lastindex""".split()
)
# methods of those types that change their receiver in place
COLLECTION_MUTATING: frozenset[str] = frozenset(
    {"subtract", "appendleft", "popleft", "extendleft", "rotate", "move_to_end"}
)
