"""uploadAsset: a file over the GraphQL multipart request spec, stored here first, then sent to a provider."""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry.file_uploads import Upload

from assetgraph.domain.enums import UploadMethod as DomainUploadMethod
from assetgraph.resolvers import uploads as upload_resolvers
from assetgraph.resolvers.context import Context
from assetgraph.schema.asset import Asset
from assetgraph.schema.enums import UploadMethod
from assetgraph.schema.scalars import JSON
from assetgraph.schema.user_errors import UserError, user_errors


@strawberry.input(description="A file to add to the library and, unless providerId is 'local', to send to a provider.")
class UploadAssetInput:
    file: Upload = strawberry.field(description="The file, as a multipart part (GraphQL multipart request spec).")
    provider_id: str = strawberry.field(description="Where to send it: 'local' keeps it in the library only.")
    account_id: strawberry.ID | None = strawberry.field(
        default=None, description="Which of your accounts at the provider to use; your first active one if omitted."
    )
    method: UploadMethod = strawberry.field(
        default=DomainUploadMethod.API, description="How the file reached us, kept with the asset."
    )
    source_folder: str | None = strawberry.field(default=None, description="Local Folders: the folder it came from.")
    relative_path: str | None = strawberry.field(default=None, description="Local Folders: its path in that folder.")
    context: JSON | None = strawberry.field(default=None, description="Free-form context kept with the upload.")


@strawberry.type(description="What became of an upload. The file is kept in the library whatever the provider said.")
class UploadAssetPayload:
    asset: Asset | None = strawberry.field(description="The asset holding the file (an existing one if deduplicated).")
    provider_succeeded: bool | None = strawberry.field(
        description="Whether the provider accepted the file; null when no provider was asked."
    )
    deduplicated: bool = strawberry.field(description="The library already had this file (same SHA-256).")
    note: str | None = strawberry.field(description="What happened, in words.")
    errors: list[UserError]


@strawberry.type
class UploadMutations:
    @strawberry.mutation(description="Add a file to your library and, unless providerId is 'local', to a provider.")
    async def upload_asset(self, info: strawberry.Info[Context, None], input: UploadAssetInput) -> UploadAssetPayload:
        outcome = await upload_resolvers.upload_asset(
            info.context,
            upload_resolvers.UploadInput(
                file=cast("upload_resolvers.UploadedFile", input.file),  # Strawberry's Upload is a NewType
                provider_id=input.provider_id,
                method=DomainUploadMethod(input.method),
                account_id=input.account_id,
                source_folder=input.source_folder,
                relative_path=input.relative_path,
                context=input.context if isinstance(input.context, dict) else None,
            ),
        )
        result = outcome.value
        if result is None:
            return UploadAssetPayload(
                asset=None, provider_succeeded=None, deduplicated=False, note=None, errors=user_errors(outcome.errors)
            )
        return UploadAssetPayload(
            asset=Asset.from_row(result.asset),
            provider_succeeded=result.provider_succeeded,
            deduplicated=result.deduplicated,
            note=result.note,
            errors=[],
        )
