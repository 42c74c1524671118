"""Small libcst helpers shared by the compiler's stages (parse, build, instrument, the NL
verbaliser), so each exists once."""

from __future__ import annotations

import libcst as cst

_EMPTY = cst.Module([])


def code_of(node: cst.CSTNode) -> str:
    """The source text of ``node`` as libcst renders it."""
    return _EMPTY.code_for_node(node)


def is_scalar_literal(node: cst.CSTNode) -> bool:
    """A number, string, True/False/None, or a sign applied to one (``-1``): a value that
    the trace shows as written, so it needs no working line."""
    if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString, cst.ConcatenatedString)):
        return True
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return True
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        return is_scalar_literal(node.expression)
    return False


def is_literal_value(node: cst.CSTNode) -> bool:
    """A constant or a container of constants (``[1, 2]``, ``{"a": -1}``): an expression the
    NL renderer prints as a value rather than describing it."""
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
        return True
    if isinstance(node, cst.Name):
        return node.value in ("True", "False", "None")
    if isinstance(node, cst.ConcatenatedString):
        return is_literal_value(node.left) and is_literal_value(node.right)
    if isinstance(node, cst.UnaryOperation):
        return isinstance(node.operator, (cst.Minus, cst.Plus)) and isinstance(
            node.expression, (cst.Integer, cst.Float, cst.Imaginary))
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return all(isinstance(e, cst.Element) and is_literal_value(e.value) for e in node.elements)
    if isinstance(node, cst.Dict):
        return all(isinstance(e, cst.DictElement) and is_literal_value(e.key)
                   and is_literal_value(e.value) for e in node.elements)
    return False


def all_params(params: cst.Parameters) -> list[cst.Param]:
    """Every parameter of a signature, in signature order (``*args`` and ``**kw`` included)."""
    star = [params.star_arg] if isinstance(params.star_arg, cst.Param) else []
    star_kw = [params.star_kwarg] if isinstance(params.star_kwarg, cst.Param) else []
    return [*params.posonly_params, *params.params, *star, *params.kwonly_params, *star_kw]


def target_names(target: cst.CSTNode) -> list[str]:
    """The plain variable names an assignment or loop target binds (``a, (b, *c)`` gives
    a, b, c); subscript and attribute targets bind none."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for el in target.elements for n in target_names(el.value)]
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    return []
