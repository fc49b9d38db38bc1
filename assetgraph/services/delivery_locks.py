"""Keyed asyncio locks: one delivery per (user, content, provider) at a time in this process."""

from __future__ import annotations

import asyncio
import weakref


class DeliveryLocks:
    """One asyncio lock per key, forgotten when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[tuple[object, ...], asyncio.Lock] = weakref.WeakValueDictionary()

    def lock(self, *key: object) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock
