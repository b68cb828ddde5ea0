"""Warnings at scale: each sentence once, then the integrations it concerns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

FEW = 4
"""Up to this many integrations are all named; past it, the first FEW - 1 and a count."""


def group_warnings(by_integration: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Sentence -> the integrations it was given for, in spec order (sentences by first appearance).

    Each warning is `<integration>: <sentence>`, as build writes it; the integration prefix is
    what varies, so grouping on the rest puts one sentence over every integration it concerns.
    """
    groups: dict[str, list[str]] = {}
    for name, warnings in by_integration.items():
        prefix = f"{name}: "
        for warning in warnings:
            sentence = warning.removeprefix(prefix)
            concerned = groups.setdefault(sentence, [])
            if name not in concerned:
                concerned.append(name)
    return groups


def shortened(names: Sequence[str]) -> str:
    """`a, b and c`, or past FEW names `a, b, c and 497 more`."""
    if len(names) <= FEW:
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    shown = FEW - 1
    return ", ".join(names[:shown]) + f" and {len(names) - shown} more"


def warning_lines(groups: Mapping[str, Sequence[str]]) -> list[str]:
    """`warning: <integration>: <sentence>` for one integration; for several, the sentence once
    and then the integrations it concerns on the next line."""
    lines: list[str] = []
    for sentence, names in groups.items():
        if len(names) == 1:
            lines.append(f"warning: {names[0]}: {sentence}")
        else:
            lines.append(f"warning: {sentence}")
            lines.append(f"  concerns {len(names)} integrations: {shortened(names)}")
    return lines
