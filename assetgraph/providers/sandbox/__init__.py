"""Sandbox providers: a real HTTP server emulating the Pixverse, Sora and Runway endpoints the adapters speak,
with fault injection per account or per request and call counters (see faults.py for the fault specs), and a
generated Pixverse library of any size per account (see generated_library.py)."""

from __future__ import annotations

from assetgraph.providers.sandbox.app import PROVIDER_PREFIXES, create_sandbox_app
from assetgraph.providers.sandbox.faults import FAULT_HEADER, Fault, FaultKind, UnknownFaultError, parse_fault
from assetgraph.providers.sandbox.generated_library import (
    GeneratedPixverseLibrary,
    LibrarySummary,
    UnknownLibraryError,
    generated_pixverse_library,
)
from assetgraph.providers.sandbox.library import PixverseLibrary, sample_pixverse_library
from assetgraph.providers.sandbox.server import RunningSandbox, serve_sandbox
from assetgraph.providers.sandbox.state import CallCounts, ReceivedFile, Sandbox

__all__ = [
    "FAULT_HEADER",
    "PROVIDER_PREFIXES",
    "CallCounts",
    "Fault",
    "FaultKind",
    "GeneratedPixverseLibrary",
    "LibrarySummary",
    "PixverseLibrary",
    "ReceivedFile",
    "RunningSandbox",
    "Sandbox",
    "UnknownFaultError",
    "UnknownLibraryError",
    "create_sandbox_app",
    "generated_pixverse_library",
    "parse_fault",
    "sample_pixverse_library",
    "serve_sandbox",
]
