"""The compiled execution path (issue 11): plans cached per document, run instead of graphql-core's per-field
machinery wherever that is exactly equivalent. `context.py` runs them, `plan_cache.py` keeps them, `shapes.py` says
what each field's plan is, `codegen.py` turns a plan run often into a function of its own."""

from assetgraph.schema.compiled.context import CompiledExecutionContext

__all__ = ["CompiledExecutionContext"]
