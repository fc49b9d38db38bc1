"""similar_assets, as the upload pipeline calls it for a just-uploaded asset; check_hashes' own limits."""

from __future__ import annotations

import pytest
from PIL import Image

from assetgraph.domain.errors import BadUserInput
from assetgraph.domain.hashes import to_stored_phash
from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.hash_checks import check_hash, check_hashes
from assetgraph.services.near_duplicates import similar_assets
from assetgraph.services.perceptual_hash import perceptual_hash_of_bytes
from tests.support import count_statements, encoded, insert_assets, new_user, photo_like

BASE = 0xC07C1DE84A476D3E  # 32 bits set, the sign bit among them


async def test_near_duplicates_of_an_asset_nearest_first_in_one_statement(db: Database) -> None:
    # given an uploaded image and three others of the same user, 2, 1 and 12 bits away
    user_id = (await new_user(db)).user_id
    hashes = [BASE, BASE ^ 0b11, BASE ^ (1 << 63), BASE ^ 0xFFF]
    uploaded, two_away, one_away, _ = await insert_assets(
        db, user_id, [{"phash64": to_stored_phash(h)} for h in hashes]
    )
    # when its near-duplicates are listed within 10 bits
    with count_statements(db.engine) as statements:
        found = await similar_assets(UnitOfWork(db), user_id, uploaded, max_distance=10, limit=20)
    # then the two near ones come back, nearest first, with their distances, from one statement
    assert [(s.asset.id, s.distance) for s in found] == [(one_away, 1), (two_away, 2)]
    assert len(statements) == 1
    # and `limit` keeps the nearest
    assert [s.asset.id for s in await similar_assets(UnitOfWork(db), user_id, uploaded, 10, 1)] == [one_away]


async def test_a_resized_re_encoded_copy_is_found_an_unrelated_picture_and_a_blank_one_are_not(db: Database) -> None:
    # given a user's pictures, hashed from their bytes and stored as the upload pipeline stores them: a photo, its
    # copy at half size as a JPEG, an unrelated photo, and two blank pictures (identical to each other)
    user_id = (await new_user(db)).user_id
    photo = photo_like(11)
    files = [
        encoded(photo, "PNG"),
        encoded(photo.resize((320, 240)), "JPEG", quality=70),
        encoded(photo_like(12), "PNG"),
        encoded(Image.new("RGB", (640, 480), (250, 250, 250)), "PNG"),
        encoded(Image.new("RGB", (320, 240), (250, 250, 250)), "JPEG"),
    ]
    hashes = [await perceptual_hash_of_bytes(data) for data in files]
    assert None not in hashes
    ids = await insert_assets(db, user_id, [{"phash64": to_stored_phash(h)} for h in hashes if h is not None])
    original, copy, unrelated, blank, other_blank = ids
    # when each asks for its near-duplicates at the default threshold
    near = {asset_id: await similar_assets(UnitOfWork(db), user_id, asset_id, 10, 20) for asset_id in ids}
    # then the photo and its copy find each other, and nothing else finds anything
    assert {asset_id: [s.asset.id for s in found] for asset_id, found in near.items()} == {
        original: [copy],
        copy: [original],
        unrelated: [],
        blank: [],
        other_blank: [],
    }


async def test_an_asset_without_a_hash_or_of_another_user_has_no_near_duplicates(db: Database) -> None:
    user_id, other_id = (await new_user(db)).user_id, (await new_user(db)).user_id
    video, image = await insert_assets(db, user_id, [{"phash64": None}, {"phash64": to_stored_phash(BASE)}])
    await insert_assets(db, user_id, [{"phash64": to_stored_phash(BASE ^ 1)}])
    assert await similar_assets(UnitOfWork(db), user_id, video, 10, 20) == []
    assert await similar_assets(UnitOfWork(db), other_id, image, 10, 20) == []


@pytest.mark.parametrize(
    ("max_distance", "limit", "field"), [(33, 20, "maxDistance"), (-1, 20, "maxDistance"), (10, -1, "first")]
)
async def test_out_of_range_arguments_are_refused(db: Database, max_distance: int, limit: int, field: str) -> None:
    with pytest.raises(BadUserInput) as refused:
        await similar_assets(UnitOfWork(db), 1, 1, max_distance, limit)
    assert refused.value.field == field


async def test_check_hashes_refuses_more_than_10000_hashes_and_an_empty_provider(db: Database) -> None:
    # (the API refuses them before any resolver runs; the service holds the same line for its other callers)
    with pytest.raises(BadUserInput) as too_many:
        await check_hashes(UnitOfWork(db), 1, ["ab" * 32] * 10_001, None)
    assert (too_many.value.field, too_many.value.message) == (
        "sha256s",
        "'sha256s' may hold at most 10000 hashes (got 10001)",
    )
    for call in (check_hashes(UnitOfWork(db), 1, [], ""), check_hash(UnitOfWork(db), 1, "ab" * 32, "")):
        with pytest.raises(BadUserInput) as empty:
            await call
        assert empty.value.field == "providerId"


async def test_check_hashes_with_no_valid_hash_sends_no_sql(db: Database) -> None:
    with count_statements(db.engine) as statements:
        answers = await check_hashes(UnitOfWork(db), 1, ["nope", ""], "pixverse")
    assert [(a.valid, a.note) for a in answers] == [(False, "Not a SHA-256 hash")] * 2
    assert statements == []
