"""Echoes in a meeting: which comments only point at an earlier problem, and at which one.

An echo ("+", "и у нас тоже", "до второго квартала без воды сидеть??" right after the akim's
answer) is a mention of a problem raised before, never a problem of its own. ``EchoTracker``
reads a meeting's comments in order — the server's labeller and ``tyndau nlp eval`` both run it —
and tells for each whether it echoes the *root* of an earlier problem (a comment the clusterer
holds) or stands on its own. An echo joins whatever cluster its root is in, so a re-clustering
that moves the root takes the echo along and no attachment is lost.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from .chat import CONTEXT_SIZE, ECHO, ChatContext, Seen, names


@dataclass(frozen=True, slots=True)
class EchoVerdict:
    """One comment read in meeting order: the root it echoes (or None) and whether it is a problem."""

    root: Hashable | None
    is_problem: bool | None


class EchoTracker:
    """The recent messages of one meeting, for attaching echoes to the problem they point at."""

    def __init__(self, size: int = CONTEXT_SIZE) -> None:
        self.context = ChatContext(size)

    def read(self, item_id: Hashable, labels: Any, *, text: str, author: str = "", is_problem: bool | None,
             human: bool = False, clustered: bool = True) -> EchoVerdict:
        """Decide one comment and remember it; ``clustered``: a problem of its own goes to the clusterer.

        A person's verdict (``human``) is never turned into an echo; an echo that points at
        nothing is not a problem.
        """
        act = getattr(labels, "chat_act", None)
        subtopics = list(getattr(labels, "subtopics", None) or ())
        place = getattr(labels, "place_key", None)
        target = None if human else self.context.echo_target(act=act, is_problem=getattr(labels, "is_problem", None),
                                                             text=text, subtopics=subtopics, place=place,
                                                             author=author)
        root = None if target is None else target.cluster
        if root is not None:
            is_problem = True
        elif act == ECHO and not human:
            is_problem = False
        own = root is None and bool(is_problem) and clustered
        self.context.observe(Seen(item_id, author, act, bool(is_problem), subtopics[0] if subtopics else None, place,
                                  root if root is not None else (item_id if own else None), names(text)))
        return EchoVerdict(root, is_problem)
