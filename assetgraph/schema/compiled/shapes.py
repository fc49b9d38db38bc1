"""What the compiled path knows in advance about one field: how to resolve it and how to complete its value.

A field is resolved the fast way only when Strawberry's own resolver would do nothing observable besides reading an
attribute (a plain field) or calling a method with the source alone (a sync resolver taking only `self`); every other
field (arguments, `info`, async, field extensions or permissions, exception handlers, introspection) is resolved as
graphql-core's stock `execute_field` resolves it (context._resolved_field). A value is completed the fast way only for
leaves, lists and object types whose type check is Strawberry's own; the rest is completed by graphql-core's stock
`complete_value`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from types import CoroutineType, FunctionType, GeneratorType, WrapperDescriptorType
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.pyutils import UndefinedType
from graphql.type.introspection import TypeNameMetaFieldDef
from graphql.type.scalars import serialize_boolean, serialize_id, serialize_int, serialize_string
from strawberry.schema.schema_converter import CustomGraphQLEnumType, GraphQLCoreConverter
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE
from strawberry.types.field import StrawberryField

if TYPE_CHECKING:
    from graphql.execution.collect_fields import FieldDetailsList
    from graphql.language import FieldNode

# How a field is resolved.
RESOLVE_STOCK = 0  # as graphql-core's execute_field (context._resolved_field)
RESOLVE_ATTRIBUTE = 1  # Strawberry's plain field: default_resolver(source, python_name)
RESOLVE_METHOD = 2  # a sync resolver taking only `self`: function(source)
RESOLVE_TYPENAME = 3  # __typename: the parent type's name

# How a value is completed.
COMPLETE_STOCK = 0
COMPLETE_LEAF = 1
COMPLETE_LIST = 2
COMPLETE_OBJECT = 3

_STRAWBERRY_RESOLVERS = "GraphQLCoreConverter.from_resolver.<locals>."
# Output coercions that return an instance of exactly this type unchanged.
_PASSTHROUGH: dict[Callable[[Any], Any], type] = {serialize_string: str, serialize_id: str, serialize_boolean: bool}
_BUILTIN_INERT = frozenset({type(None), bool, int, float, str, bytes, list, tuple, dict, set, frozenset})


@dataclass(slots=True, eq=False)
class Shape:
    """How a value at one position of a field's type is completed (`graphql_type` includes its NonNull)."""

    kind: int
    nullable: bool
    graphql_type: GraphQLOutputType
    coerce: Callable[[Any], Any] | None = None  # leaf: the type's coerce_output_value
    passthrough: type | None = None  # leaf: values of exactly this type are their own output
    is_int: bool = False  # leaf Int: an int within 32 bits is its own output
    # leaf Strawberry enum: a value's name, once coerced, is remembered by the value's id (an Enum's __hash__ is
    # Python code, a call per value); enum_coerced keeps each value so remembered alive, so that its id stays its own.
    enum_class: type | None = None
    enum_names: dict[int, str] | None = None
    enum_coerced: list[Any] | None = None
    item: Shape | None = None  # list
    object_type: GraphQLObjectType | None = None  # object
    type_check: Callable[[Any, Any], Any] | None = None  # object: Strawberry's is_type_of (ignores info)
    # object: a value of exactly this class with no type cast of its own passes type_check (see exact_class)
    exact_class: type | None = None
    plan: Any = None  # object: its ObjectPlan, planned on first use (plan_cache.py)


@dataclass(slots=True, eq=False)
class FieldPlan:
    """One response key of a selection on an object type."""

    key: str
    field_def: GraphQLField | None  # None: unknown field (stock returns Undefined)
    field_details: FieldDetailsList
    nodes: list[FieldNode]
    resolve_kind: int
    attribute: str = ""
    getter: Callable[[Any, str], Any] | None = None  # RESOLVE_ATTRIBUTE with a default_resolver other than getattr
    method: Callable[[Any], Any] | None = None  # RESOLVE_METHOD
    shape: Shape | None = None

    @property
    def return_type(self) -> GraphQLOutputType:
        assert self.field_def is not None
        return self.field_def.type


def _is_strawberry_resolver(resolve: Any, name: str) -> bool:
    return getattr(resolve, "__module__", None) == GraphQLCoreConverter.__module__ and getattr(
        resolve, "__qualname__", None
    ) == (_STRAWBERRY_RESOLVERS + name)


def resolution(schema: GraphQLSchema, field_def: GraphQLField) -> tuple[int, str, Any]:
    """(kind, attribute, getter or method) for `field_def`; RESOLVE_STOCK whenever anything is not plain."""
    if field_def is TypeNameMetaFieldDef:
        return RESOLVE_TYPENAME, "", None
    field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(field, StrawberryField) or field_def.args or field.extensions or field.is_subscription:
        return RESOLVE_STOCK, "", None
    resolve = field_def.resolve
    if field.base_resolver is None:
        if not _is_strawberry_resolver(resolve, "_get_basic_result") or field.python_name is None:
            return RESOLVE_STOCK, "", None
        getter = None if field.default_resolver is getattr else field.default_resolver
        return RESOLVE_ATTRIBUTE, field.python_name, getter
    resolver = field.base_resolver
    strawberry_schema = getattr(schema, "_strawberry_schema", None)
    if (
        strawberry_schema is None
        or getattr(strawberry_schema, "exception_handlers", None)  # handlers wrap every resolver call
        or resolver.is_async
        or not _is_strawberry_resolver(resolve, "_resolver")
        or not isinstance(resolver.wrapped_func, FunctionType)
        or field.arguments
        or resolver.self_parameter is None
        or len(resolver.signature.parameters) != 1
        or resolver.info_parameter is not None
        or resolver.root_parameter is not None
        or resolver.parent_parameter is not None
    ):
        return RESOLVE_STOCK, "", None
    return RESOLVE_METHOD, "", resolver.wrapped_func


def shape_of(graphql_type: GraphQLOutputType) -> Shape:
    nullable = not is_non_null_type(graphql_type)
    inner: Any = graphql_type if nullable else graphql_type.of_type  # type: ignore[union-attr]
    if is_leaf_type(inner):
        coerce = inner.coerce_output_value
        shape = Shape(COMPLETE_LEAF, nullable, graphql_type, coerce=coerce, passthrough=_PASSTHROUGH.get(coerce))
        shape.is_int = coerce is serialize_int
        enum_class = _plain_enum_class(inner)
        if enum_class is not None:
            shape.enum_class, shape.enum_names, shape.enum_coerced = enum_class, {}, []
        return shape
    if is_list_type(inner):
        return Shape(COMPLETE_LIST, nullable, graphql_type, item=shape_of(inner.of_type))
    if is_object_type(inner):
        definition = (inner.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if inner.is_type_of is None or (definition is not None and definition.is_type_of is None):
            # Strawberry's generated is_type_of never reads `info`; a type's own is_type_of might.
            shape = Shape(COMPLETE_OBJECT, nullable, graphql_type, object_type=inner, type_check=inner.is_type_of)
            shape.exact_class = exact_class(inner.is_type_of, definition)
            return shape
    return Shape(COMPLETE_STOCK, nullable, graphql_type)


_GENERATED_IS_TYPE_OF = "GraphQLCoreConverter.from_object.<locals>._get_is_type_of.<locals>.is_type_of"


def exact_class(type_check: Any, definition: Any) -> type | None:
    """The class whose instances Strawberry's generated is_type_of (a type implementing an interface) accepts
    without running any code of ours, or None.

    That check reads the object's `strawberry.cast` (`getattr(obj, TYPE_CAST_ATTRIBUTE, None)`) and, without one,
    answers `isinstance(obj, (*interface classes, origin))`. For an inert value (is_inert) of exactly the origin
    class, when the class attribute of that name (Asset sets one to None) is no descriptor and no interface class
    has a metaclass of its own (whose __instancecheck__ would run first), reading the cast runs no code of ours and
    the check answers True exactly when the cast read is None: the compiled path tests
    `type(v) is exact_class and getattr(v, TYPE_CAST_ATTRIBUTE, None) is None` first, and calls it otherwise.
    """
    if (
        type_check is None
        or getattr(type_check, "__module__", None) != GraphQLCoreConverter.__module__
        or getattr(type_check, "__qualname__", None) != _GENERATED_IS_TYPE_OF
        or not isinstance(definition, StrawberryObjectDefinition)
        or definition.is_type_of is not None
    ):
        return None
    origin = definition.origin
    interfaces = [interface.origin for interface in definition.interfaces]
    if (
        not isinstance(origin, type)
        or _is_descriptor(
            next((vars(k)[TYPE_CAST_ATTRIBUTE] for k in origin.__mro__ if TYPE_CAST_ATTRIBUTE in vars(k)), None)
        )
        or not all(isinstance(klass, type) and type(klass) is type for klass in interfaces)
    ):
        return None
    return origin


def _is_descriptor(value: object) -> bool:
    return any(hasattr(type(value), name) for name in ("__get__", "__set__", "__delete__"))


def _plain_enum_class(leaf_type: Any) -> type | None:
    """The Enum class of a Strawberry enum whose output name for a value depends on that value alone."""
    enum_class = getattr(leaf_type, "wrapped_cls", None)
    if (
        not isinstance(leaf_type, CustomGraphQLEnumType)
        or type(leaf_type).coerce_output_value is not CustomGraphQLEnumType.coerce_output_value
        or not isinstance(enum_class, type)
        or not issubclass(enum_class, Enum)
    ):
        return None
    return enum_class


def is_inert(value_type: type) -> bool:
    """Whether values of this type are never awaitable nor exceptions, and asking them for `__await__` (as the
    stock executor's is_awaitable does) runs no code of ours: then the compiled path may skip that question.

    An instance attribute named `__await__` on such a value is not considered.
    """
    if value_type in _BUILTIN_INERT:
        return True
    if value_type is UndefinedType or issubclass(value_type, (BaseException, CoroutineType, GeneratorType)):
        return False
    for klass in value_type.__mro__:
        namespace = vars(klass)
        if "__await__" in namespace:
            return False
        for name in ("__getattr__", "__getattribute__"):
            found = namespace.get(name)
            if found is not None and not isinstance(found, WrapperDescriptorType):
                return False
    return True


__all__ = ["TYPE_CAST_ATTRIBUTE", "FieldPlan", "Shape", "exact_class", "is_inert", "resolution", "shape_of"]
