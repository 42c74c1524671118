"""The paper's 22 code snippets (appendix D.2), numbered 0-21 as the paper lists them.

``list1`` / ``list2`` are placeholders for the two lists (renamed per sample) and
``{}`` is a random integer. Only the indentation broken by the PDF extraction is
restored (snippet 10's stray ``n`` is its lost newline). Each snippet is one unit
of the trace, including the two-line snippets 8 and 9.
"""

from __future__ import annotations

SNIPPETS: tuple[str, ...] = (
    "if list1:\n    list1[-1] += {}",
    "if list1:\n    list1[0] += {}",
    "if list1:\n    var = list1.pop(0)\n    list2.append(var)",
    "if list1:\n    var = list1.pop()\n    list2.append(var)",
    "list1.insert(0, {})",
    "list1.sort()",
    "list1.reverse()",
    "list1 = list1[1:] if list1 else list1",
    "if list2:\n    list1.insert(0, list2[0])\nelse:\n    list1.insert(0, {})",
    "val = list2[-1] if list2 else {}\nlist1.append(val)",
    "if list1 and list2 and list1[0] > list2[0]:\n    list1.pop(0)",
    "if list1 and list2 and list1[-1] < list2[-1]:\n    list1.pop()",
    "if list1:\n    list1.pop(0)",
    "if list1 and list2:\n    list1.append(list2.pop())",
    "if list1 and list1[0] % 2 == 0:\n    list1.pop(0)",
    "if list1 and list1[0] % 2 == 1:\n    list1.pop(0)",
    "if len(list1) > len(list2):\n    list2.insert(0, list1.pop())",
    "if list1 and list1[0] > {}:\n    list1.pop(0)",
    "if list1 and list1[0] < {}:\n    list1.pop(0)",
    "if list2:\n    list1.append(list2.pop(0))",
    "if list1:\n    list1.pop()",
    "if list2:\n    list2.pop()",
)

HAS_CONSTANT: tuple[bool, ...] = tuple("{}" in s for s in SNIPPETS)


def instantiate(index: int, constant: int | None = None, swap: bool = False) -> str:
    """Snippet ``index`` with its constant filled and, if ``swap``, list1/list2 exchanged."""
    text = SNIPPETS[index]
    if swap:
        text = text.replace("list1", "\0").replace("list2", "list1").replace("\0", "list2")
    if HAS_CONSTANT[index]:
        text = text.replace("{}", str(constant))
    return text
