"""uploadAsset: a file over the GraphQL multipart request spec, stored here first, then sent to a provider."""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry.file_uploads import Upload

from assetgraph.domain.enums import UploadMethod as DomainUploadMethod
from assetgraph.resolvers import uploads as upload_resolvers
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.mutations import Outcome
from assetgraph.schema.asset import Asset, SimilarAsset
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
        description=(
            "Whether the provider holds the file now (also true when it already did, with no new upload); null for "
            "a library-only upload."
        )
    )
    deduplicated: bool = strawberry.field(description="The library already had this file (same SHA-256).")
    note: str | None = strawberry.field(description="What happened, in words.")
    similar_assets: list[SimilarAsset] = strawberry.field(
        description="Your other assets that look the same (near-duplicate images), nearest first."
    )
    errors: list[UserError]


@strawberry.input(description="A file to download from a URL (the browser extension's import) into the library.")
class ImportAssetFromUrlInput:
    url: str = strawberry.field(
        description="An http(s) URL on a public address; private, loopback and link-local targets are refused."
    )
    provider_id: str = strawberry.field(description="Where to send it: 'local' keeps it in the library only.")
    account_id: strawberry.ID | None = strawberry.field(
        default=None, description="Which of your accounts at the provider to use; your first active one if omitted."
    )
    method: UploadMethod = strawberry.field(default=DomainUploadMethod.EXTENSION)
    source_site: str | None = strawberry.field(default=None, description="The site the file was found on.")
    context: JSON | None = strawberry.field(default=None, description="Free-form context kept with the import.")


def _upload_payload(outcome: Outcome[upload_resolvers.UploadResult]) -> UploadAssetPayload:
    result = outcome.value
    if result is None:
        return UploadAssetPayload(
            asset=None,
            provider_succeeded=None,
            deduplicated=False,
            note=None,
            similar_assets=[],
            errors=user_errors(outcome.errors),
        )
    return UploadAssetPayload(
        asset=Asset.from_row(result.asset),
        provider_succeeded=result.provider_succeeded,
        deduplicated=result.deduplicated,
        note=result.note,
        similar_assets=[SimilarAsset.from_domain(similar) for similar in result.similar],
        errors=[],
    )


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
        return _upload_payload(outcome)

    @strawberry.mutation(
        description="Download a file from a URL into your library and, unless providerId is 'local', to a provider."
    )
    async def import_asset_from_url(
        self, info: strawberry.Info[Context, None], input: ImportAssetFromUrlInput
    ) -> UploadAssetPayload:
        outcome = await upload_resolvers.import_asset_from_url(
            info.context,
            upload_resolvers.UrlImportInput(
                url=input.url,
                provider_id=input.provider_id,
                method=DomainUploadMethod(input.method),
                account_id=input.account_id,
                source_site=input.source_site,
                context=input.context if isinstance(input.context, dict) else None,
            ),
        )
        return _upload_payload(outcome)


@strawberry.input(description="Send one of your stored assets to a provider (again).")
class SendAssetInput:
    asset_id: strawberry.ID
    provider_id: str = strawberry.field(description="The provider to send it to.")
    account_id: strawberry.ID | None = strawberry.field(
        default=None, description="Which of your accounts there to use; your first active one if omitted."
    )


@strawberry.input(description="Copy one of your assets to another provider.")
class TransferAssetInput:
    asset_id: strawberry.ID
    target_provider_id: str = strawberry.field(description="The provider to copy it to.")
    account_id: strawberry.ID | None = strawberry.field(
        default=None, description="Which of your accounts there to use; your first active one if omitted."
    )


@strawberry.type(description="What became of sending an asset to a provider.")
class SendAssetPayload:
    asset: Asset | None
    provider_succeeded: bool | None = strawberry.field(
        description="Whether the provider holds the asset now; null when the input was refused."
    )
    provider_called: bool = strawberry.field(description="False when the provider already held it: nothing was sent.")
    note: str | None
    errors: list[UserError]

    @classmethod
    def from_outcome(cls, outcome: Outcome[upload_resolvers.SendResult]) -> SendAssetPayload:
        result = outcome.value
        if result is None:
            return cls(
                asset=None,
                provider_succeeded=None,
                provider_called=False,
                note=None,
                errors=user_errors(outcome.errors),
            )
        return cls(
            asset=Asset.from_row(result.asset),
            provider_succeeded=result.provider_succeeded,
            provider_called=result.provider_called,
            note=result.note,
            errors=[],
        )


@strawberry.type
class DeliveryMutations:
    @strawberry.mutation(
        description="Send a stored asset to a provider again, after a failed upload; every attempt is recorded."
    )
    async def retry_upload(self, info: strawberry.Info[Context, None], input: SendAssetInput) -> SendAssetPayload:
        outcome = await upload_resolvers.retry_upload(info.context, input.asset_id, input.provider_id, input.account_id)
        return SendAssetPayload.from_outcome(outcome)

    @strawberry.mutation(
        description=(
            "Copy an asset to another provider: a copy already there is returned at once, else the stored bytes are "
            "sent and the copy cached."
        )
    )
    async def transfer_asset(self, info: strawberry.Info[Context, None], input: TransferAssetInput) -> SendAssetPayload:
        outcome = await upload_resolvers.transfer_asset(
            info.context, input.asset_id, input.target_provider_id, input.account_id
        )
        return SendAssetPayload.from_outcome(outcome)
