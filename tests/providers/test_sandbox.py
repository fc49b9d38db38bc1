"""The sandbox seen from outside its process: control endpoints, per-request faults, refusals of bad calls."""

from __future__ import annotations

import httpx
import pytest

from assetgraph.providers.sandbox import FAULT_HEADER, RunningSandbox, UnknownFaultError, parse_fault
from assetgraph.providers.sandbox.faults import Fault, FaultKind


async def upload_to_pixverse(
    http: httpx.AsyncClient, token: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    files = {"image": ("a.png", b"12345", "image/png")}
    return await http.post(
        "/pixverse/openapi/v2/image/upload", files=files, headers={"Token": token, **(headers or {})}
    )


async def test_calls_are_counted_and_readable_over_http(sandbox: RunningSandbox) -> None:
    async with httpx.AsyncClient(base_url=sandbox.base_url) as http:
        # Given two uploads by one account and one by another
        for token in ("acct-a", "acct-a", "acct-b"):
            assert (await upload_to_pixverse(http, token)).json()["ErrCode"] == 0

        # When the counters are read over HTTP
        calls = (await http.get("/_sandbox/calls")).json()
        received = (await http.get("/_sandbox/uploads")).json()

    # Then they say who called what, and how many bytes each file held
    assert calls == {
        "total": 3,
        "calls": [
            {"provider": "pixverse", "endpoint": "upload", "account": "acct-a", "count": 2},
            {"provider": "pixverse", "endpoint": "upload", "account": "acct-b", "count": 1},
        ],
    }
    assert [(r["account"], r["size_bytes"], r["filename"]) for r in received] == [
        ("acct-a", 5, "a.png"),
        ("acct-a", 5, "a.png"),
        ("acct-b", 5, "a.png"),
    ]
    assert sandbox.calls.count("pixverse") == 3 and sandbox.calls.count(account="acct-b") == 1


async def test_a_fault_can_be_chosen_per_request_or_queued_over_http(sandbox: RunningSandbox) -> None:
    async with httpx.AsyncClient(base_url=sandbox.base_url) as http:
        # A header chooses this request's fault, whatever the account
        rate_limited = await upload_to_pixverse(http, "ordinary", {FAULT_HEADER: "429:7"})
        assert (rate_limited.status_code, rate_limited.headers["retry-after"]) == (429, "7")

        # A queued fault hits the next call only
        queued = await http.post("/_sandbox/fail-next", json={"fault": "safety", "provider": "pixverse"})
        assert queued.status_code == 204
        assert (await upload_to_pixverse(http, "ordinary")).json()["ErrCode"] == 500054
        assert (await upload_to_pixverse(http, "ordinary")).json()["ErrCode"] == 0

        # A misspelt fault is refused loudly, by the request it was sent with and by the control endpoint
        misspelt = await upload_to_pixverse(http, "ordinary", {FAULT_HEADER: "5003"})
        assert misspelt.status_code == 400 and "5003" in misspelt.text
        assert (await http.post("/_sandbox/fail-next", json={"fault": "slow"})).status_code == 400

        # And a reset forgets the counts
        assert (await http.post("/_sandbox/reset")).status_code == 204
        assert (await http.get("/_sandbox/calls")).json() == {"total": 0, "calls": []}


async def test_the_pixverse_emulation_refuses_what_pixverse_would(sandbox: RunningSandbox) -> None:
    async with httpx.AsyncClient(base_url=sandbox.base_url) as http:
        # No token: session expired
        anonymous = await http.post("/pixverse/creative_platform/video/list/personal", json={"offset": 0, "limit": 5})
        assert anonymous.json()["ErrCode"] == 10005
        # Out-of-range paging, or a body that is not JSON: invalid parameter
        images = "/pixverse/creative_platform/image/list/personal"
        for body in ({"offset": -1, "limit": 5}, {"offset": 0, "limit": 0}, {"offset": "0", "limit": 5}):
            answer = await http.post(images, json=body, headers={"Token": "t"})
            assert answer.json()["ErrCode"] == 400017, body
        answer = await http.post(images, content=b"{", headers={"Token": "t"})
        assert answer.json()["ErrCode"] == 400017
        # An upload that is not multipart
        answer = await http.post("/pixverse/openapi/v2/image/upload", content=b"raw", headers={"Token": "t"})
        assert answer.json()["ErrCode"] == 400017


async def test_a_runway_upload_url_takes_one_file_only(sandbox: RunningSandbox) -> None:
    async with httpx.AsyncClient(base_url=sandbox.base_url) as http:
        headers = {"Authorization": "Bearer key", "X-Runway-Version": "2024-11-06"}
        ticket = (
            await http.post("/runway/v1/uploads", json={"filename": "a.png", "type": "ephemeral"}, headers=headers)
        ).json()
        files = {"file": ("a.png", b"12345", "image/png")}

        # The presigned URL stores one file, then refuses the next
        assert (await http.post(ticket["uploadUrl"], data=ticket["fields"], files=files)).status_code == 204
        reused = await http.post(ticket["uploadUrl"], data=ticket["fields"], files=files)
        assert reused.status_code == 403 and b"<Code>AccessDenied</Code>" in reused.content

        # And the API version header is required, as Runway requires it
        versionless = await http.post(
            "/runway/v1/uploads",
            json={"filename": "a.png", "type": "ephemeral"},
            headers={"Authorization": "Bearer key"},
        )
        assert versionless.status_code == 400


def test_settings_overrides_point_every_adapter_at_the_sandbox(sandbox: RunningSandbox) -> None:
    assert sandbox.settings_overrides() == {
        "pixverse_base_url": f"{sandbox.base_url}/pixverse",
        "sora_base_url": f"{sandbox.base_url}/sora",
        "runway_base_url": f"{sandbox.base_url}/runway",
    }


@pytest.mark.parametrize(
    ("spec", "fault"),
    [
        ("503", Fault(FaultKind.STATUS, 503)),
        ("503-once", Fault(FaultKind.STATUS, 503, once=True)),
        ("429", Fault(FaultKind.RATE_LIMITED, 429)),
        ("429:2", Fault(FaultKind.RATE_LIMITED, 429, retry_after="2")),
        ("429:2-once", Fault(FaultKind.RATE_LIMITED, 429, retry_after="2", once=True)),
        ("hang", Fault(FaultKind.HANG)),
        ("session_expired-once", Fault(FaultKind.SESSION_EXPIRED, once=True)),
    ],
)
def test_fault_specs(spec: str, fault: Fault) -> None:
    assert parse_fault(spec) == fault


@pytest.mark.parametrize("spec", ["", "200", "600", "503:2", "429:soon", "hang-twice", "Safety"])
def test_misspelt_fault_specs_are_refused(spec: str) -> None:
    with pytest.raises(UnknownFaultError):
        parse_fault(spec)
