"""A function generated per object plan: the generic loop of context.py unrolled for one selection.

The generic loop (`_execute_plan`) pays, for every field of every object, the loads and tests that pick the field's
resolve kind and completion shape. A generated function has them decided once: its source reads each attribute
directly (`source.name`), tests the value against exactly the one kind its shape passes through (`type(v) is str`,
an Int within 32 bits, a member of the field's enum already named), runs a nested object's plan function directly
once its plan is known, hands a list to the context's list completion, and builds the result dict in one expression.
Anything else at a position (a resolver that raised, a null where one is not allowed, a value of another type, a
stock-resolved field) is handed to the context's generic methods for that field alone, at the same position, so
data and errors stay the stock executor's. Only values those methods return can be awaitable (always as coroutines),
so only they are tested for it. An object type whose check is Strawberry's generated is_type_of is answered in place
for a plain instance of its own class (shapes.exact_class), the call made only otherwise.

Compiling costs far more than one run saves (about 0.1-0.25 ms per field): plan_cache.py generates a plan's function
only once the generic loop has run it `CompiledExecutionContext.generate_after_runs` times.

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
    COMPLETE_LIST,
    COMPLETE_OBJECT,
    RESOLVE_ATTRIBUTE,
    RESOLVE_METHOD,
    RESOLVE_STOCK,
    RESOLVE_TYPENAME,
    TYPE_CAST_ATTRIBUTE,
    FieldPlan,
    Shape,
)

# Returned by a fast completion that declines a value before doing anything observable (context.py).
DECLINED: Any = object()

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


def _completed(shape: Shape, i: int, indent: str, out: list[str], namespace: dict[str, Any]) -> None:
    """Lines that complete `v` into `r{i}`: the shape's fast check, else the generic path for this field."""
    namespace[f"S{i}"] = shape
    namespace[f"P{i}"], namespace[f"E{i}"], namespace[f"N{i}"] = shape.passthrough, shape.enum_class, shape.enum_names
    inner = indent + "    "
    if shape.kind == COMPLETE_LEAF and shape.passthrough is not None:
        fast = [f"{indent}if type(v) is P{i}:", f"{inner}r{i} = v"]
    elif shape.kind == COMPLETE_LEAF and shape.is_int:
        fast = [f"{indent}if type(v) is int and {GRAPHQL_MIN_INT} <= v <= {GRAPHQL_MAX_INT}:", f"{inner}r{i} = v"]
    elif shape.kind == COMPLETE_LEAF and shape.enum_class is not None:
        # A member's name is known once the generic path has coerced it (context._complete_leaf).
        fast = [f"{indent}if type(v) is E{i} and (r{i} := N{i}.get(id(v))) is not None:", f"{inner}pass"]
    elif shape.kind == COMPLETE_LEAF:
        # Another leaf (a custom scalar, Float): context._complete_leaf, whose refusal the stock path reports.
        null = [f"{indent}if v is None:", f"{inner}r{i} = None", f"{indent}else:"] if shape.nullable else []
        body = inner if shape.nullable else indent
        out += [
            *null,
            f"{body}if (r{i} := ctx._complete_leaf(S{i}, v)) is _DECLINED:",
            f"{body}    r{i} = ctx._complete_as_stock(T, F{i}, Path(path, K{i}, TN), v)",
            f"{body}    if type(r{i}) is CoroutineType:",
            f"{body}        aw = _pending(aw, K{i}, r{i})",
        ]
        return
    elif shape.kind == COMPLETE_OBJECT:
        # An object whose type could be awaitable or an exception is asked so by the generic path, once.
        fast = [f"{indent}if v is not None and S{i}.plan is not None and INERT[type(v)]:"]
        fast += _completed_object(shape, i, inner, namespace)
    elif shape.kind == COMPLETE_LIST:
        fast = [f"{indent}if type(v) is list or type(v) is tuple:", *_completed_list(shape, i, inner)]
    else:
        fast = [f"{indent}if False:", f"{inner}pass"]
    null = [f"{indent}elif v is None:", f"{inner}r{i} = None"] if shape.nullable else []
    slow = [
        f"{indent}else:",
        f"{inner}r{i} = ctx._completed_field(T, F{i}, v, path)",
        f"{inner}if type(r{i}) is CoroutineType:",
        f"{inner}    aw = _pending(aw, K{i}, r{i})",
    ]
    out += [*fast, *null, *slow]


def _completed_object(shape: Shape, i: int, indent: str, namespace: dict[str, Any]) -> list[str]:
    """context._complete_field for an object whose plan is known: its type check, then its plan's function."""
    namespace[f"C{i}"], namespace[f"O{i}"] = shape.type_check, shape.exact_class
    run = f"S{i}.plan.run(ctx, v, p)"
    if shape.type_check is None:
        checked = run
    elif shape.exact_class is None:
        checked = f"{run} if C{i}(v, None) else _DECLINED"
    else:  # shapes.exact_class: the type check's answer for a plain instance of its class, without calling it
        checked = f"{run} if (type(v) is O{i} and getattr(v, CAST, None) is None) or C{i}(v, None) else _DECLINED"
    return [
        f"{indent}p = _new_path(Path, (path, K{i}, TN))",
        f"{indent}try:",
        f"{indent}    r{i} = {checked}",
        f"{indent}except Exception as error:",
        f"{indent}    r{i} = ctx._field_failed(S{i}.graphql_type, F{i}, error, p)",
        f"{indent}else:",
        f"{indent}    if r{i} is _DECLINED:",
        f"{indent}        r{i} = ctx._complete_as_stock(T, F{i}, p, v)",
        f"{indent}        if type(r{i}) is CoroutineType:",
        f"{indent}            aw = _pending(aw, K{i}, r{i})",
        *_awaited(i, indent + "    ", "elif"),
    ]


def _completed_list(shape: Shape, i: int, indent: str) -> list[str]:
    """context._complete_field for a list: its items completed by context._complete_list (or, objects, by
    context._complete_object_items)."""
    item: Shape = shape.item  # type: ignore[assignment]
    complete = (
        f"ctx._complete_object_items(S{i}.item, v, T, F{i}, p)"
        if item.kind == COMPLETE_OBJECT
        else f"ctx._complete_list(S{i}.item, v, T, F{i}, p, p)"
    )
    return [
        f"{indent}p = _new_path(Path, (path, K{i}, TN))",
        f"{indent}try:",
        f"{indent}    r{i} = {complete}",
        f"{indent}except Exception as error:",
        f"{indent}    r{i} = ctx._field_failed(S{i}.graphql_type, F{i}, error, p)",
        f"{indent}else:",
        *_awaited(i, indent + "    ", "if"),
    ]


def _awaited(i: int, indent: str, keyword_: str) -> list[str]:
    return [
        f"{indent}{keyword_} type(r{i}) is CoroutineType:",
        f"{indent}    r{i} = ctx._await_completed(r{i}, S{i}.graphql_type, F{i}.field_details, p)",
        f"{indent}    aw = _pending(aw, K{i}, r{i})",
    ]


def plan_function(plan: ObjectPlan, inert: dict[type, bool]) -> PlanFunction | None:
    """The generated function for `plan`, or None when one of its fields is not expressible (then the generic loop
    runs it)."""
    namespace: dict[str, Any] = {
        "T": plan.object_type,
        "TN": plan.object_type.name,
        "INERT": inert,
        "Path": Path,
        "CoroutineType": CoroutineType,
        "_pending": _pending,
        "_new_path": tuple.__new__,
        "_DECLINED": DECLINED,
        "_gather_pairs": _gather_pairs,
        "CAST": TYPE_CAST_ATTRIBUTE,
    }
    body: list[str] = []
    for index, field in enumerate(plan.fields):
        if field.field_def is None:
            return None  # an unknown field: the stock path leaves its key out
        namespace[f"F{index}"] = field
        namespace[f"K{index}"] = field.key
        if field.resolve_kind == RESOLVE_STOCK:
            body += [
                f"        r{index} = ctx._resolved_field(T, source, F{index}, path)",
                f"        if type(r{index}) is CoroutineType:",
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
        _completed(field.shape, index, "            ", body, namespace)  # type: ignore[arg-type]
    # The keys as constants (a str's repr is its literal): a dict of constant keys is built in one step.
    entries = ", ".join(f"{field.key!r}: r{index}" for index, field in enumerate(plan.fields))
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
    exec(compile(source, f"<plan of {plan.object_type.name}>", "exec"), namespace)
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
