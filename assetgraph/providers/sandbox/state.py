"""What a sandbox remembers: the calls it was sent, the files it received, the faults it still has to inject."""

from __future__ import annotations

import itertools
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass
from typing import Any

from assetgraph.providers.sandbox.faults import Fault, fault_of_credential, parse_fault
from assetgraph.providers.sandbox.generated_library import library_of_credential
from assetgraph.providers.sandbox.library import PixverseLibrary, sample_pixverse_library

MAX_REMEMBERED = 10_000
"""How many received files and pending upload tickets a long-running sandbox (the demo's) keeps."""


@dataclass(frozen=True)
class ReceivedFile:
    """A file part as the sandbox read it: its bytes were counted, not kept."""

    provider: str
    account: str | None
    filename: str | None
    content_type: str | None
    size_bytes: int
    upload_id: str | None
    """The id the sandbox answered with, None when it refused the file."""


@dataclass
class RunwayTicket:
    """A presigned upload handed out by the Runway emulation, waiting for its file."""

    account: str
    filename: str
    runway_uri: str
    too_large: bool = False


@dataclass
class _QueuedFault:
    fault: Fault
    remaining: int
    provider: str | None
    endpoint: str | None

    def applies(self, provider: str, endpoint: str) -> bool:
        return self.provider in (None, provider) and self.endpoint in (None, endpoint)


class CallCounts:
    """How many requests arrived, by provider, endpoint and account (failed and hung ones included)."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[str, str, str | None]] = Counter()

    def record(self, provider: str, endpoint: str, account: str | None) -> None:
        self._counts[(provider, endpoint, account)] += 1

    def count(self, provider: str | None = None, endpoint: str | None = None, account: str | None = None) -> int:
        """Requests matching every argument given."""
        return sum(
            n
            for (p, e, a), n in self._counts.items()
            if (provider is None or p == provider)
            and (endpoint is None or e == endpoint)
            and (account is None or a == account)
        )

    @property
    def total(self) -> int:
        return sum(self._counts.values())

    def as_json(self) -> dict[str, Any]:
        calls = [
            {"provider": p, "endpoint": e, "account": a, "count": n}
            for (p, e, a), n in sorted(self._counts.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or ""))
        ]
        return {"total": self.total, "calls": calls}

    def reset(self) -> None:
        self._counts.clear()


class Sandbox:
    """The state behind one sandbox server: counters for tests to read, faults to inject, the Pixverse library.

    `max_upload_bytes` is the size limit every upload endpoint enforces; `hang_seconds` bounds how long a `hang`
    fault keeps a request open when the client never gives up; `list_delay_seconds` slows every Pixverse list page.
    """

    def __init__(
        self,
        *,
        max_upload_bytes: int = 1024**3,
        hang_seconds: float = 60.0,
        pixverse_library: PixverseLibrary | None = None,
        list_delay_seconds: float = 0.0,
    ) -> None:
        self.max_upload_bytes = max_upload_bytes
        self.hang_seconds = hang_seconds
        self._list_delay_default = list_delay_seconds
        self.list_delay_seconds = list_delay_seconds
        """How long each Pixverse list page takes to answer (a real one takes a fraction of a second): lets a test
        follow a sync page by page."""
        self.calls = CallCounts()
        self.received: deque[ReceivedFile] = deque(maxlen=MAX_REMEMBERED)
        self.pixverse_library = pixverse_library if pixverse_library is not None else sample_pixverse_library()
        self._pixverse_libraries: dict[str, PixverseLibrary] = {}
        self._queued: list[_QueuedFault] = []
        self._spent: set[tuple[str, str]] = set()
        self._ids = itertools.count(1)
        self.runway_tickets: OrderedDict[str, RunwayTicket] = OrderedDict()

    def fail_next(self, spec: str, *, times: int = 1, provider: str | None = None, endpoint: str | None = None) -> None:
        """Inject the fault `spec` into the next `times` requests (to `provider` and `endpoint` only, if given),
        whatever the account. Endpoints: upload, video_list, image_list, video_detail, image_detail (Pixverse),
        upload (Sora), upload and storage (Runway's two steps)."""
        if times < 1:
            raise ValueError("times must be at least 1")
        self._queued.append(_QueuedFault(parse_fault(spec), times, provider, endpoint))

    def fault_for(self, provider: str, endpoint: str, account: str | None, header: str | None) -> Fault | None:
        """The fault this request gets: the request's header first, then a queued one, then the account's.
        Raises UnknownFaultError for a misspelt spec."""
        if header:
            return parse_fault(header)
        for queued in self._queued:
            if queued.applies(provider, endpoint):
                queued.remaining -= 1
                if queued.remaining == 0:
                    self._queued.remove(queued)
                return queued.fault
        fault = fault_of_credential(account)
        if fault is not None and fault.once:
            assert account is not None
            if (provider, account) in self._spent:
                return None
            self._spent.add((provider, account))
        return fault

    def library_for(self, account: str) -> PixverseLibrary:
        """The account's library: the one set for it, else the generated one a `library:<size>:<seed>` credential
        names (rebuilt per request: that costs microseconds and keeps nothing), else the shared one. Raises
        UnknownLibraryError for a misspelt `library:` credential."""
        if (own := self._pixverse_libraries.get(account)) is not None:
            return own
        generated = library_of_credential(account)
        return generated if generated is not None else self.pixverse_library

    def set_pixverse_library(self, account: str, library: PixverseLibrary) -> None:
        """Give one account its own library (the others keep the shared one)."""
        self._pixverse_libraries[account] = library

    def next_id(self) -> int:
        return next(self._ids)

    def remember(self, received: ReceivedFile) -> None:
        self.received.append(received)

    def upload(self, upload_id: str) -> ReceivedFile | None:
        """The file the sandbox answered `upload_id` for."""
        return next((r for r in reversed(self.received) if r.upload_id == upload_id), None)

    def add_ticket(self, ticket_id: str, ticket: RunwayTicket) -> None:
        self.runway_tickets[ticket_id] = ticket
        while len(self.runway_tickets) > MAX_REMEMBERED:
            self.runway_tickets.popitem(last=False)

    def reset(self) -> None:
        """Forget calls, received files, queued faults and spent `-once` faults; list pages as fast as at the start."""
        self.list_delay_seconds = self._list_delay_default
        self.calls.reset()
        self.received.clear()
        self._queued.clear()
        self._spent.clear()
        self.runway_tickets.clear()
