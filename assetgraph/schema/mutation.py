"""The Mutation root: wiring only. Each feature's mutations are a class of its own module, inherited here."""

from __future__ import annotations

import strawberry

from assetgraph.schema.uploads import UploadMutations


@strawberry.type
class Mutation(UploadMutations):
    pass
