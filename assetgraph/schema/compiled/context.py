"""The compiled execution context: graphql-core's executor, with each selection run from a cached plan.

Where the stock executor pays, for every field of every object, a resolve-info object, an argument lookup,
Strawberry's resolver wrapper, awaitable checks and `complete_value`'s chain of type tests, a plan (plan_cache.py)
knows each field's resolver and completion in advance. The fast path takes only the ordinary case: a plain value of
the right kind. Anything else at a position (a null where one is not allowed, a serializer that fails, an awaitable,
an abstract type) is handed, at that same position, to the stock executor's own methods, so data and errors
(message, path, locations, order) are the stock executor's. Awaitables are gathered in the same groups and order as
the stock executor gathers them.

A field the plan cannot resolve itself (a resolver taking `info` or arguments, an async one: RESOLVE_STOCK) is
resolved as the stock `execute_field` resolves it (`_resolved_field`: the same resolve info, argument coercion and
error handling); its value, awaited first if need be, is then completed the plans' way like any other (a page's
`Asset.parents`, thousands of edges, no longer goes through the stock `complete_value` item by item).

A plan is first run by the generic loop `_execute_plan`; once it has run `generate_after_runs` times, by a function
generated for it (codegen.py) that makes the same decisions with the plan's own tests written out, and calls back
into this context's methods (`_completed_field`, `_complete_object_items`...) for whatever it does not take.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from types import CoroutineType
from typing import Any, ClassVar

from graphql import GraphQLObjectType, GraphQLOutputType, GraphQLSchema
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.executor import collect_iterator_awaitables, to_nodes
from graphql.execution.values import get_argument_values
from graphql.pyutils import AwaitableOrValue, Path, Undefined, gather_with_cancel
from graphql.type.scalars import GRAPHQL_MAX_INT, GRAPHQL_MIN_INT
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from assetgraph.schema.compiled.codegen import DECLINED as _DECLINED
from assetgraph.schema.compiled.plan_cache import ObjectPlan, PlanCache, PlanSet
from assetgraph.schema.compiled.shapes import (
    COMPLETE_LEAF,
    COMPLETE_LIST,
    COMPLETE_OBJECT,
    RESOLVE_ATTRIBUTE,
    RESOLVE_METHOD,
    RESOLVE_STOCK,
    TYPE_CAST_ATTRIBUTE,
    FieldPlan,
    Shape,
)

_MIN_INT, _MAX_INT = GRAPHQL_MIN_INT, GRAPHQL_MAX_INT
_PLAN_CACHE_ATTRIBUTE = "_assetgraph_plan_cache"
# Path is a NamedTuple, whose generated __new__ only calls this: one Python frame less per object and list item.
_new_path = tuple.__new__


class CompiledExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution context with a per-document plan of every field's resolver and serializer."""

    plan_cache_size: ClassVar[int] = 256
    # A plan's function is generated (codegen.py) once the generic loop has run it this many times: compiling costs
    # about a tenth of a millisecond per field, what a generated function saves over thousands of runs, so a plan
    # used by one request (or a document sent once) never pays for it. 0: generated as the plan is built.
    generate_after_runs: ClassVar[int] = 128

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plan_set: PlanSet | None = None
        manager = self.middleware_manager
        if manager is None or not manager.middlewares:  # middleware wraps every resolver: stock path
            self._plan_set = self.plan_cache(self.schema).plan_set(self.operation, self.fragments, self.variable_values)
        # Each grouped field set met at an entry (kept alive with its plan, so that its id stays its own).
        self._entry_plans: dict[int, tuple[GroupedFieldSet, ObjectPlan]] = {}
        self._inert = self.plan_cache(self.schema).inert  # type -> bool

    @classmethod
    def plan_cache(cls, schema: GraphQLSchema) -> PlanCache:
        """The schema's plans. They live on the schema itself: every plan refers to its types, which refer to the
        schema, so any cache outside it (even one keyed weakly by it) would keep every schema ever built alive."""
        cache: PlanCache | None = getattr(schema, _PLAN_CACHE_ATTRIBUTE, None)
        if (
            cache is None
            or cache.schema is not schema
            or cache.maxsize != cls.plan_cache_size
            or cache.generate_after_runs != cls.generate_after_runs
        ):
            cache = PlanCache(schema, cls.plan_cache_size, cls.generate_after_runs)
            setattr(schema, _PLAN_CACHE_ATTRIBUTE, cache)
        return cache

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        plan_set = self._plan_set
        if plan_set is None or position_context is not None:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        # The stock executor memoizes each selection's grouped field set for the request: one lookup per object.
        entry = self._entry_plans.get(id(grouped_field_set))
        if entry is None or entry[0] is not grouped_field_set or entry[1].object_type is not parent_type:
            entry = (grouped_field_set, plan_set.object_plan(parent_type, grouped_field_set))
            self._entry_plans[id(grouped_field_set)] = entry
        result: AwaitableOrValue[dict[str, Any]] = entry[1].run(self, source_value, path)
        return result

    def _execute_plan(self, plan: ObjectPlan, source: Any, path: Path | None) -> AwaitableOrValue[dict[str, Any]]:
        """The stock `execute_fields`, each field resolved and completed as its plan says."""
        parent_type = plan.object_type
        typename = parent_type.name
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        try:
            for field in plan.fields:
                key = field.key
                kind = field.resolve_kind
                if kind == RESOLVE_STOCK:
                    if field.field_def is None:
                        continue  # an unknown field: the stock path leaves its key out
                    result = results[key] = self._resolved_field(parent_type, source, field, path)
                    if type(result) is CoroutineType:
                        awaitable_fields.append(key)
                    continue
                try:
                    if kind == RESOLVE_ATTRIBUTE:
                        getter = field.getter
                        value = getattr(source, field.attribute) if getter is None else getter(source, field.attribute)
                    elif kind == RESOLVE_METHOD:
                        value = field.method(source)  # type: ignore[misc]
                    else:
                        value = typename  # RESOLVE_TYPENAME
                except Exception as error:  # the resolver raised, as it would have on the stock path
                    self.handle_field_error(error, field.return_type, field.field_details, Path(path, key, typename))
                    results[key] = None
                    continue
                shape: Shape = field.shape  # type: ignore[assignment]
                if shape.kind == COMPLETE_LEAF:
                    if type(value) is shape.passthrough or (value is None and shape.nullable):
                        results[key] = value
                        continue
                    completed = self._complete_leaf(shape, value)
                    if completed is _DECLINED:
                        completed = self._complete_as_stock(parent_type, field, Path(path, key, typename), value)
                else:
                    completed = self._complete_field(parent_type, field, value, path)
                results[key] = completed
                if type(completed) is CoroutineType:
                    awaitable_fields.append(key)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[key] for key in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return self._gather_fields(results, awaitable_fields)

    def _resolved_field(
        self, parent_type: GraphQLObjectType, source: Any, field: FieldPlan, parent_path: Path | None
    ) -> Any:
        """The stock `execute_field` for a field its plan does not resolve itself (arguments, `info`, async...):
        resolved exactly as stock resolves it, its value completed as its shape says (`_completed_value`).
        Anything awaitable it returns is a coroutine, as the stock method's."""
        field_def = field.field_def
        assert field_def is not None
        path = _new_path(Path, (parent_path, field.key, parent_type.name))
        details = field.field_details
        resolve_fn = field_def.resolve or self.field_resolver
        info = self.build_resolve_info(field_def, to_nodes(details), parent_type, path)
        try:
            first_details = details[0]
            node = first_details.node
            args = (
                get_argument_values(
                    field_def,
                    node,
                    self.variable_values,
                    first_details.fragment_variable_values,
                    self.hide_suggestions,
                )
                if field_def.args or node.arguments
                else {}
            )
            result = resolve_fn(source, info, **args)
            if self.is_awaitable(result):
                return self._awaited_field(parent_type, field, info, path, result)
            completed = self._completed_value(parent_type, field, info, path, result)
            if type(completed) is CoroutineType:
                return self._await_completed(completed, field_def.type, details, path)
        except Exception as error:
            self.handle_field_error(error, field_def.type, details, path)
            return None
        return completed

    async def _awaited_field(
        self, parent_type: GraphQLObjectType, field: FieldPlan, info: Any, path: Path, result: Any
    ) -> Any:
        """The stock `complete_awaitable_value`, the value completed as its shape says."""
        try:
            resolved = await (result if self.abort_signal is None else self.with_abort_signal(result))
            completed = self._completed_value(parent_type, field, info, path, resolved)
            if type(completed) is CoroutineType:
                completed = await completed
        except Exception as error:
            self.handle_field_error(error, field.return_type, field.field_details, path)
            completed = None
        return completed

    def _completed_value(
        self, parent_type: GraphQLObjectType, field: FieldPlan, info: Any, path: Path, value: Any
    ) -> Any:
        """The stock `complete_value` of a resolved field's value (raising as it raises); awaitable only as a
        coroutine."""
        completed = self._complete(field.shape, value, parent_type, field, path, path)  # type: ignore[arg-type]
        if completed is _DECLINED:
            completed = self.complete_value(field.return_type, field.field_details, info, path, value, None)
            if self.is_awaitable(completed) and type(completed) is not CoroutineType:
                completed = self._awaitable_as_coroutine(completed)
        return completed

    @staticmethod
    async def _awaitable_as_coroutine(awaitable: Any) -> Any:
        return await awaitable

    def _field_raised(
        self, parent_type: GraphQLObjectType, field: FieldPlan, error: Exception, parent_path: Path | None
    ) -> None:
        """A generated plan's resolver raised (codegen.py): the stock handling, at the field's path."""
        path = Path(parent_path, field.key, parent_type.name)
        self.handle_field_error(error, field.return_type, field.field_details, path)

    def _field_failed(self, return_type: GraphQLOutputType, field: FieldPlan, error: Exception, path: Path) -> None:
        """A generated plan's completion of an object or list raised (codegen.py): as `_complete_field` handles it."""
        self.handle_field_error(error, return_type, field.field_details, path)

    def _completed_field(
        self, parent_type: GraphQLObjectType, field: FieldPlan, value: Any, parent_path: Path | None
    ) -> Any:
        """A value a generated plan's fast check declined (codegen.py): completed as `_execute_plan` would."""
        shape: Shape = field.shape  # type: ignore[assignment]
        if shape.kind != COMPLETE_LEAF:
            return self._complete_field(parent_type, field, value, parent_path)
        completed = self._complete_leaf(shape, value)
        if completed is _DECLINED:
            path = Path(parent_path, field.key, parent_type.name)
            completed = self._complete_as_stock(parent_type, field, path, value)
        return completed

    def _complete_field(
        self, parent_type: GraphQLObjectType, field: FieldPlan, value: Any, parent_path: Path | None
    ) -> Any:
        """The stock `execute_field` from the resolved value on, for a list or object (leaves: _execute_plan)."""
        shape: Shape = field.shape  # type: ignore[assignment]
        field_path = _new_path(Path, (parent_path, field.key, parent_type.name))
        try:
            completed = self._complete(shape, value, parent_type, field, field_path, field_path)
        except Exception as error:
            self.handle_field_error(error, shape.graphql_type, field.field_details, field_path)
            return None
        if completed is _DECLINED:
            return self._complete_as_stock(parent_type, field, field_path, value)
        if type(completed) is CoroutineType:
            return self._await_completed(completed, shape.graphql_type, field.field_details, field_path)
        return completed

    def _complete_leaf(self, shape: Shape, value: Any) -> Any:
        value_type = type(value)
        if value_type is shape.passthrough:
            return value
        if value is None:
            return None if shape.nullable else _DECLINED
        if shape.is_int and value_type is int and _MIN_INT <= value <= _MAX_INT:
            return value
        enum_names = shape.enum_names
        if enum_names is not None and value_type is shape.enum_class:
            name = enum_names.get(id(value))
            if name is not None:
                return name
        if not self._inert[value_type]:
            return _DECLINED
        try:
            coerced = shape.coerce(value)  # type: ignore[misc]
        except Exception:
            return _DECLINED  # the stock path coerces again and reports the error
        if coerced is None or coerced is Undefined or not self._inert[type(coerced)]:
            return _DECLINED
        if enum_names is not None and value_type is shape.enum_class and type(coerced) is str:
            shape.enum_coerced.append(value)  # type: ignore[union-attr]
            enum_names[id(value)] = coerced
        return coerced

    def _complete(
        self, shape: Shape, value: Any, parent_type: GraphQLObjectType, field: FieldPlan, field_path: Path, path: Path
    ) -> Any:
        """The stock `complete_value` for the ordinary case, else _DECLINED (nothing done yet)."""
        kind = shape.kind
        if kind == COMPLETE_LEAF:
            return self._complete_leaf(shape, value)
        if value is None:
            return None if shape.nullable else _DECLINED
        if kind == COMPLETE_LIST:
            if type(value) is not list and type(value) is not tuple:
                return _DECLINED
            item: Shape = shape.item  # type: ignore[assignment]
            if item.kind == COMPLETE_OBJECT and path is field_path:  # (an inner list's items: _complete_list)
                return self._complete_object_items(item, value, parent_type, field, path)
            return self._complete_list(item, value, parent_type, field, field_path, path)
        if kind == COMPLETE_OBJECT:
            # The stock executor asks every resolved value whether it is awaitable, then whether it is an exception.
            # A value whose type answers without running code of ours is not asked; any other one is asked once, as
            # the stock executor would (a type with __getattr__, say, that derives attributes on first read).
            if not self._inert[type(value)] and (isinstance(value, Exception) or self.is_awaitable(value)):
                return _DECLINED
            type_check = shape.type_check
            if (
                type_check is not None
                and (type(value) is not shape.exact_class or getattr(value, TYPE_CAST_ATTRIBUTE, None) is not None)
                and not type_check(value, None)
            ):
                return _DECLINED
            plan = shape.plan
            if plan is None:
                object_type: GraphQLObjectType = shape.object_type  # type: ignore[assignment]
                grouped_field_set = self.collect_subfields(object_type, field.field_details).grouped_field_set
                plan = shape.plan = self._plan_set.object_plan(object_type, grouped_field_set)  # type: ignore[union-attr]
            return plan.run(self, value, path)
        return _DECLINED

    def _complete_list(
        self,
        item_shape: Shape,
        items: list[Any] | tuple[Any, ...],
        parent_type: GraphQLObjectType,
        field: FieldPlan,
        field_path: Path,
        path: Path,
        done: tuple[list[Any], list[int], Iterator[Any]] | None = None,
    ) -> AwaitableOrValue[list[Any]]:
        """The stock `complete_iterable_value`; `done`: the items `_complete_object_items` completed already (and
        the awaitable ones' indices), and the iterator it stopped in."""
        item_type = item_shape.graphql_type
        passthrough = item_shape.passthrough if item_shape.kind == COMPLETE_LEAF else None
        details = field.field_details
        completed_results, awaitable_indices, iterator = ([], [], iter(items)) if done is None else done
        append = completed_results.append
        info = None
        index = len(completed_results)
        try:
            for item in iterator:
                if type(item) is passthrough:
                    append(item)
                    index += 1
                    continue
                item_path = _new_path(Path, (path, index, None))
                try:
                    completed = self._complete(item_shape, item, parent_type, field, field_path, item_path)
                except Exception as error:
                    self.handle_field_error(error, item_type, details, item_path)
                    completed = None
                if completed is _DECLINED:
                    if info is None:
                        info = self.build_resolve_info(field.field_def, field.nodes, parent_type, field_path)  # type: ignore[arg-type]
                    if self.is_awaitable(item):
                        append(self.complete_awaitable_list_item_value(item, item_type, details, info, item_path, None))
                        awaitable_indices.append(index)
                    elif self.complete_list_item_value(
                        item, completed_results, item_type, details, info, item_path, None
                    ):
                        awaitable_indices.append(index)
                elif type(completed) is CoroutineType:
                    append(self._await_completed(completed, item_type, details, item_path))
                    awaitable_indices.append(index)
                else:
                    append(completed)
                index += 1
        except Exception:
            self._settle_items(completed_results, awaitable_indices, iterator)
            raise
        return self._items_result(completed_results, awaitable_indices)

    def _complete_object_items(
        self,
        item_shape: Shape,
        items: list[Any] | tuple[Any, ...],
        parent_type: GraphQLObjectType,
        field: FieldPlan,
        path: Path,
    ) -> AwaitableOrValue[list[Any]]:
        """`_complete_list` for items of an object type whose plan is known, while each item is an ordinary object
        of that type; from the first that is not, `_complete_list` goes on in the same iterator."""
        plan = item_shape.plan
        if plan is None:
            return self._complete_list(item_shape, items, parent_type, field, path, path)
        run = plan.run
        type_check = item_shape.type_check
        exact_class = item_shape.exact_class
        inert = self._inert
        completed_results: list[Any] = []
        append = completed_results.append
        awaitable_indices: list[int] = []
        iterator = iter(items)
        index = 0
        try:
            for item in iterator:
                item_path = _new_path(Path, (path, index, None))
                try:
                    # Declined before anything observable: an inert item's type check runs no code of ours.
                    if (
                        item is None
                        or not inert[type(item)]
                        or (
                            type_check is not None
                            and (type(item) is not exact_class or getattr(item, TYPE_CAST_ATTRIBUTE, None) is not None)
                            and not type_check(item, None)
                        )
                    ):
                        completed = _DECLINED
                    else:
                        completed = run(self, item, item_path)
                except Exception as error:
                    self.handle_field_error(error, item_shape.graphql_type, field.field_details, item_path)
                    completed = None
                if completed is _DECLINED:
                    done = (completed_results, awaitable_indices, chain((item,), iterator))
                    return self._complete_list(item_shape, items, parent_type, field, path, path, done)
                if type(completed) is CoroutineType:
                    completed = self._await_completed(
                        completed, item_shape.graphql_type, field.field_details, item_path
                    )
                    awaitable_indices.append(index)
                append(completed)
                index += 1
        except Exception:
            self._settle_items(completed_results, awaitable_indices, iterator)
            raise
        return self._items_result(completed_results, awaitable_indices)

    def _settle_items(self, completed: list[Any], awaitable_indices: list[int], rest: Iterator[Any]) -> None:
        """A list failed as a whole: its items' awaitables, and those of the items not reached, run to their end
        in the background (as the stock executor's complete_iterable_value leaves them)."""
        pending = [completed[index] for index in awaitable_indices]
        pending.extend(collect_iterator_awaitables(rest, self.is_awaitable))
        if pending:
            self.settle_in_background(pending)

    def _items_result(self, completed: list[Any], awaitable_indices: list[int]) -> AwaitableOrValue[list[Any]]:
        return self._gather_items(completed, awaitable_indices) if awaitable_indices else completed

    def _complete_as_stock(self, parent_type: GraphQLObjectType, field: FieldPlan, path: Path, value: Any) -> Any:
        """The stock `execute_field` after its resolver returned `value`."""
        return_type = field.return_type
        details = field.field_details
        info = self.build_resolve_info(field.field_def, field.nodes, parent_type, path)  # type: ignore[arg-type]
        try:
            if self.is_awaitable(value):
                return self.complete_awaitable_value(return_type, details, info, path, value, None)
            completed = self.complete_value(return_type, details, info, path, value, None)
            if self.is_awaitable(completed):
                return self._await_completed(completed, return_type, details, path)
        except Exception as error:
            self.handle_field_error(error, return_type, details, path)
            return None
        return completed

    async def _await_completed(
        self, completed: Any, return_type: GraphQLOutputType, details: FieldDetailsList, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as error:
            self.handle_field_error(error, return_type, details, path)
            return None

    @staticmethod
    async def _gather_fields(results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
        if len(awaitable_fields) == 1:
            key = awaitable_fields[0]
            results[key] = await results[key]
        else:
            awaited = await gather_with_cancel(*(results[key] for key in awaitable_fields))
            results.update(zip(awaitable_fields, awaited, strict=True))
        return results

    @staticmethod
    async def _gather_items(completed_results: list[Any], awaitable_indices: list[int]) -> list[Any]:
        if len(awaitable_indices) == 1:
            index = awaitable_indices[0]
            completed_results[index] = await completed_results[index]
        else:
            awaited = await gather_with_cancel(*(completed_results[index] for index in awaitable_indices))
            for index, value in zip(awaitable_indices, awaited, strict=True):
                completed_results[index] = value
        return completed_results
