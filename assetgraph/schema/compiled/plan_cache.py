"""Plans kept across requests: per schema, per operation and per value of the variables that @skip/@include read.

Strawberry's ParserCache hands back the same DocumentNode for a repeated query text, so field nodes are stable
across requests and a plan can be found by their identity. A plan set holds its operation, fragments and (through
its plans) every node it was keyed by, so no id it is keyed by can be reused by another node while it lives.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema, OperationType, Visitor, visit
from graphql.execution.collect_fields import FragmentDetails, GroupedFieldSet
from graphql.execution.values import VariableValues
from graphql.language import (
    DirectiveNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    VariableNode,
)

from assetgraph.schema.compiled.codegen import PlanFunction, plan_function
from assetgraph.schema.compiled.shapes import FieldPlan, is_inert, resolution, shape_of

# Directives whose effect the plans do not model: such operations run on the stock path.
_UNPLANNED_DIRECTIVES = frozenset({"defer", "stream"})
_CONDITION_DIRECTIVES = frozenset({"skip", "include"})


@dataclass(slots=True, eq=False)
class ObjectPlan:
    """A selection on one object type: its fields in response order."""

    object_type: GraphQLObjectType
    fields: tuple[FieldPlan, ...]
    grouped_field_set: GroupedFieldSet  # kept alive: its nodes are this plan's key
    run: PlanFunction = field(init=False)  # (context, source, path): codegen.py's function, or the generic loop


@dataclass(frozen=True, slots=True)
class OperationFacts:
    plannable: bool
    condition_variables: tuple[str, ...]  # read by @skip/@include: part of a plan set's key


class _DirectiveScan(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.plannable = True
        self.condition_variables: set[str] = set()

    def enter_directive(self, node: DirectiveNode, *_: object) -> None:
        name = node.name.value
        if name in _UNPLANNED_DIRECTIVES:
            self.plannable = False
        elif name in _CONDITION_DIRECTIVES:
            for argument in node.arguments or ():
                if isinstance(argument.value, VariableNode):
                    self.condition_variables.add(argument.value.name.value)

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
        if getattr(node, "arguments", None):  # experimental fragment arguments
            self.plannable = False


def operation_facts(operation: OperationDefinitionNode, fragments: dict[str, FragmentDetails]) -> OperationFacts:
    if operation.operation == OperationType.SUBSCRIPTION or any(
        details.variable_signatures for details in fragments.values()
    ):
        return OperationFacts(False, ())
    scan = _DirectiveScan()
    visit(operation, scan)
    for details in fragments.values():
        visit(details.definition, scan)
    return OperationFacts(scan.plannable, tuple(sorted(scan.condition_variables)))


@dataclass(slots=True, eq=False)
class PlanSet:
    """The object plans of one operation under one set of @skip/@include conditions."""

    schema: GraphQLSchema
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDetails]
    cache: PlanCache
    plans: dict[tuple[str, tuple[int, ...]], ObjectPlan] = field(default_factory=dict)

    def object_plan(self, object_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet) -> ObjectPlan:
        key = (
            object_type.name,
            tuple(id(details.node) for details_list in grouped_field_set.values() for details in details_list),
        )
        plan = self.plans.get(key)
        if plan is None:
            plan = self.plans[key] = self._build(object_type, grouped_field_set)
        return plan

    def _build(self, object_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet) -> ObjectPlan:
        fields = []
        for key, details_list in grouped_field_set.items():
            nodes = [details.node for details in details_list]
            field_def = self.schema.get_field(object_type, nodes[0].name.value)
            if field_def is None:
                fields.append(FieldPlan(key, None, details_list, nodes, 0))
                continue
            kind, attribute, callable_ = self.cache.resolution(object_type, nodes[0].name.value, field_def)
            fields.append(
                FieldPlan(
                    key,
                    field_def,
                    details_list,
                    nodes,
                    kind,
                    attribute=attribute,
                    getter=callable_ if attribute else None,
                    method=None if attribute else callable_,
                    shape=shape_of(field_def.type),
                )
            )
        plan = ObjectPlan(object_type, tuple(fields), grouped_field_set)
        runs = self.cache.generate_after_runs
        plan.run = _generated_run(plan, self.cache.inert) if runs <= 0 else _counted_run(plan, self.cache.inert, runs)
        return plan


def _generated_run(plan: ObjectPlan, inert: dict[type, bool]) -> PlanFunction:
    """The plan's generated function, or (when its fields cannot all be expressed) the generic loop's."""
    generated = plan_function(plan, inert)
    if generated is not None:
        return generated

    def generic(context: Any, source: Any, path: Any) -> Any:
        return context._execute_plan(plan, source, path)

    return generic


def _counted_run(plan: ObjectPlan, inert: dict[type, bool], runs: int) -> PlanFunction:
    """The generic loop's function for the plan's first `runs` runs, which then puts the generated one in its
    place (plans are shared by requests in flight: either function answers alike)."""
    left = runs

    def counted(context: Any, source: Any, path: Any) -> Any:
        nonlocal left
        left -= 1
        if left <= 0:
            plan.run = _generated_run(plan, inert)
        return context._execute_plan(plan, source, path)

    return counted


class InertTypes(dict[type, bool]):
    """is_inert, remembered per type: `inert[type(value)]`."""

    def __missing__(self, value_type: type) -> bool:
        found = self[value_type] = is_inert(value_type)
        return found


class PlanCache:
    """One schema's plans, least recently used first out beyond `maxsize` plan sets (and as many operations)."""

    def __init__(self, schema: GraphQLSchema, maxsize: int, generate_after_runs: int = 0) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.schema = schema
        self.maxsize = maxsize
        self.generate_after_runs = generate_after_runs
        self._facts: OrderedDict[int, tuple[OperationDefinitionNode, OperationFacts]] = OrderedDict()
        self._plan_sets: OrderedDict[tuple[int, tuple[bool, ...]], PlanSet] = OrderedDict()
        self._resolutions: dict[tuple[str, str], tuple[int, str, Any]] = {}
        self.inert = InertTypes()

    def __len__(self) -> int:
        return len(self._plan_sets)

    def plan_set(
        self,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDetails],
        variable_values: VariableValues,
    ) -> PlanSet | None:
        """The plans for this operation and these variables, or None when the operation runs on the stock path."""
        facts = self._operation_facts(operation, fragments)
        if not facts.plannable:
            return None
        values: list[Any] = [variable_values.coerced.get(name) for name in facts.condition_variables]
        # Only booleans: a null or missing condition is an error that field collection must raise on every request.
        if not all(value is True or value is False for value in values):
            return None
        conditions: tuple[bool, ...] = tuple(values)
        key = (id(operation), conditions)
        found = self._plan_sets.get(key)
        if found is not None and found.operation is operation:
            self._plan_sets.move_to_end(key)
            return found
        plan_set = PlanSet(self.schema, operation, fragments, self)
        self._plan_sets[key] = plan_set
        if len(self._plan_sets) > self.maxsize:
            self._plan_sets.popitem(last=False)
        return plan_set

    def _operation_facts(
        self, operation: OperationDefinitionNode, fragments: dict[str, FragmentDetails]
    ) -> OperationFacts:
        key = id(operation)
        found = self._facts.get(key)
        if found is not None and found[0] is operation:
            self._facts.move_to_end(key)
            return found[1]
        facts = operation_facts(operation, fragments)
        self._facts[key] = (operation, facts)
        if len(self._facts) > self.maxsize:
            self._facts.popitem(last=False)
        return facts

    def resolution(self, object_type: GraphQLObjectType, field_name: str, field_def: Any) -> tuple[int, str, Any]:
        key = (object_type.name, field_name)
        found = self._resolutions.get(key)
        if found is None:
            found = self._resolutions[key] = resolution(self.schema, field_def)
        return found
