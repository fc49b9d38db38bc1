"""A server's process tree as the bench reads it: CPU seconds and RSS summed over the process and its children
(`serve --workers N` answers from children; the embedded PostgreSQL is not among them)."""

from __future__ import annotations

import psutil


def process_tree(process: psutil.Process) -> list[psutil.Process]:
    return [process, *process.children(recursive=True)]


def tree_cpu_seconds(process: psutil.Process) -> float:
    """User and system CPU seconds of the tree, its reaped children's included."""
    total = 0.0
    for member in process_tree(process):
        try:
            times = member.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in process_tree(process):
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total
