"""A function generated per object plan: the generic loop of context.py unrolled for one selection.

The generic loop (`_execute_plan`) pays, for every field of every object, the loads and tests that pick the field's
resolve kind and completion shape. A generated function has them decided once: its source reads each attribute
directly (`source.name`), tests the value against exactly the one kind its shape passes through (`type(v) is str`,
an Int within 32 bits, a member of the field's enum already named), and builds the result dict in one expression.
Anything else at a position (a resolver that raised, a null where one is not allowed, a value of another type, an
object or a list, a stock-resolved field) is handed to the context's generic methods for that field alone, at the
same position, so data and errors stay the stock executor's. Only values those generic methods return can be
awaitable, so only they are tested for it.

The source is built from names this module chooses (`r0`, `F0`...) and attribute names checked to be identifiers;
every other value (field plans, enum classes, method resolvers) is passed in the generated function's namespace.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable
from types import CoroutineType
from typing import TYPE_CHECKING, Any

from graphql.pyutils import Path, gather_with_cancel
from graphql.type.scalars import GRAPHQL_MAX_INT, GRAPHQL_MIN_INT

from assetgraph.schema.compiled.shapes import (
    COMPLETE_LEAF,
    RESOLVE_ATTRIBUTE,
    RESOLVE_METHOD,
    RESOLVE_STOCK,
    RESOLVE_TYPENAME,
    FieldPlan,
    Shape,
)

if TYPE_CHECKING:
    from assetgraph.schema.compiled.plan_cache import ObjectPlan

# (context, source, path) -> the object's result dict, or an awaitable of it
PlanFunction = Callable[[Any, Any, "Path | None"], Any]


def _is_plain_name(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("__")


def _resolved(field: FieldPlan, index: int, out: list[str]) -> bool:
    """Lines that set `v` to the field's resolved value (or `r{index}` to None after a raise); False if the field
    cannot be resolved by generated code."""
    if field.resolve_kind == RESOLVE_ATTRIBUTE:
        if field.getter is not None or not _is_plain_name(field.attribute):
            return False
        read = f"source.{field.attribute}"
    elif field.resolve_kind == RESOLVE_METHOD:
        read = f"M{index}(source)"
    else:
        return False
    out += [
        "        try:",
        f"            v = {read}",
        "        except Exception as error:",
        f"            r{index} = ctx._field_raised(T, F{index}, error, path)",
        "        else:",
    ]
    return True


def _completed(shape: Shape, index: int, indent: str, out: list[str]) -> None:
    """Lines that complete `v` into `r{index}`: the shape's fast check, else the generic path for this field."""
    slow = [
        f"{indent}    r{index} = ctx._completed_field(T, F{index}, v, path)",
        f"{indent}    if type(r{index}) is CoroutineType:",
        f"{indent}        aw = _pending(aw, K{index}, r{index})",
    ]
    null = [f"{indent}elif v is None:", f"{indent}    r{index} = None"] if shape.nullable else []
    if shape.kind == COMPLETE_LEAF and shape.passthrough is not None:
        out += [f"{indent}if type(v) is P{index}:", f"{indent}    r{index} = v", *null, f"{indent}else:", *slow]
    elif shape.kind == COMPLETE_LEAF and shape.is_int:
        out += [f"{indent}if type(v) is int and {GRAPHQL_MIN_INT} <= v <= {GRAPHQL_MAX_INT}:", f"{indent}    r{index} = v"]
        out += [*null, f"{indent}else:", *slow]
    elif shape.kind == COMPLETE_LEAF and shape.enum_class is not None:
        # A member's name is known once the generic path has coerced it (context._complete_leaf).
        out += [f"{indent}if type(v) is E{index} and (r{index} := N{index}.get(v)) is not None:", f"{indent}    pass"]
        out += [*null, f"{indent}else:", *slow]
    elif shape.nullable:
        out += [f"{indent}if v is None:", f"{indent}    r{index} = None", f"{indent}else:", *slow]
    else:
        out += [f"{indent}if True:", *slow]


def plan_function(plan: ObjectPlan) -> PlanFunction | None:
    """The generated function for `plan`, or None when one of its fields is not expressible (then the generic loop
    runs it)."""
    namespace: dict[str, Any] = {
        "T": plan.object_type,
        "Path": Path,
        "CoroutineType": CoroutineType,
        "_pending": _pending,
        "_gather_pairs": _gather_pairs,
    }
    body: list[str] = []
    for index, field in enumerate(plan.fields):
        if field.field_def is None:
            return None  # an unknown field: the stock path leaves its key out
        namespace[f"F{index}"] = field
        namespace[f"K{index}"] = field.key
        if field.resolve_kind == RESOLVE_STOCK:
            body += [
                f"        r{index} = ctx.execute_field(T, source, F{index}.field_details, "
                f"Path(path, K{index}, T.name), None)",
                f"        if ctx.is_awaitable(r{index}):",
                f"            aw = _pending(aw, K{index}, r{index})",
            ]
            continue
        if field.resolve_kind == RESOLVE_TYPENAME:
            namespace[f"V{index}"] = plan.object_type.name  # String!: the name is its own output
            body.append(f"        r{index} = V{index}")
            continue
        if field.resolve_kind == RESOLVE_METHOD:
            namespace[f"M{index}"] = field.method
        if not _resolved(field, index, body):
            return None
        shape: Shape = field.shape  # type: ignore[assignment]
        namespace[f"P{index}"] = shape.passthrough
        namespace[f"E{index}"] = shape.enum_class
        namespace[f"N{index}"] = shape.enum_names
        _completed(shape, index, "            ", body)
    entries = ", ".join(f"K{index}: r{index}" for index in range(len(plan.fields)))
    source = "\n".join(
        [
            "def run(ctx, source, path):",
            "    aw = None",
            "    try:",
            "        pass",  # an empty selection (every field skipped) has no body
            *body,
            "    except Exception:",
            "        if aw is not None:",
            "            ctx.settle_in_background([awaitable for _, awaitable in aw])",
            "        raise",
            f"    result = {{{entries}}}",
            "    if aw is None:",
            "        return result",
            "    return _gather_pairs(result, aw)",
        ]
    )
    exec(compile(source, f"<plan of {plan.object_type.name}>", "exec"), namespace)  # noqa: S102 - built above
    return namespace["run"]  # type: ignore[no-any-return]


def _pending(pending: list[tuple[str, Any]] | None, key: str, awaitable: Any) -> list[tuple[str, Any]]:
    if pending is None:
        return [(key, awaitable)]
    pending.append((key, awaitable))
    return pending


async def _gather_pairs(result: dict[str, Any], pending: list[tuple[str, Any]]) -> dict[str, Any]:
    """The stock executor's gathering of an object's awaitable fields, in field order."""
    if len(pending) == 1:
        key, awaitable = pending[0]
        result[key] = await awaitable
    else:
        awaited = await gather_with_cancel(*(awaitable for _, awaitable in pending))
        result.update(zip((key for key, _ in pending), awaited, strict=True))
    return result


__all__ = ["PlanFunction", "plan_function"]
