"""The per-word memo the chat-facing stages share: each word computed once, memory bounded."""

from __future__ import annotations

from tyndau.nlp.memo import Memo


def test_a_word_is_computed_once_and_the_memo_forgets_everything_when_full() -> None:
    calls: list[str] = []

    def upper(word: str) -> str:
        calls.append(word)
        return word.upper()

    memo: Memo[str, str] = Memo(upper, size=2)
    assert [memo("су"), memo("су"), memo("жоқ"), memo("су")] == ["СУ", "СУ", "ЖОҚ", "СУ"]
    assert calls == ["су", "жоқ"]
    memo("нет")  # full: it starts again rather than growing
    memo("су")
    assert calls == ["су", "жоқ", "нет", "су"]


def test_a_none_result_is_remembered_too() -> None:
    calls: list[str] = []

    def nothing(word: str) -> None:
        calls.append(word)

    memo: Memo[str, None] = Memo(nothing)
    assert memo("+") is None and memo("+") is None
    assert calls == ["+"]
