"""The commission that pools requests and the wide-audience attendance record."""

from __future__ import annotations

from tyndau.domain.participation import (
    AttendanceEntry,
    Commission,
    CommissionMember,
    attendance_summary,
    check_attendance,
    check_commission,
)


def test_a_sound_commission_has_no_issues() -> None:
    commission = Commission((
        CommissionMember("А. Жумабаева", "chair", "Аппарат акима"), CommissionMember("Б. Сапаров", "secretary"),
        CommissionMember("В. Ли", "community_assembly", "Собрание местного сообщества с.о. Акбулак"),
        CommissionMember("Г. Искакова", "public_council", "Общественный совет района"),
    ))
    assert check_commission(commission) == ()


def test_commission_errors_and_the_composition_warning() -> None:
    issues = check_commission(Commission((
        CommissionMember("А. Жумабаева", "chair"), CommissionMember("а.  жумабаева", "secretary"),
        CommissionMember("", "mayor"), CommissionMember("Д. Ахметов", "chair"),
    )))
    assert [(i.level, i.field) for i in issues] == [
        ("error", "members[1].name"), ("error", "members[2].role"), ("error", "members[2].name"),
        ("error", "members"), ("warning", "members"),
    ]
    assert "exactly one chair, not 2" in issues[3].message and "community assembly" in issues[4].message
    assert check_commission(Commission(()))[0].message == "the commission has no members"


def test_attendance_checks_and_a_summary_without_names() -> None:
    entries = [
        AttendanceEntry("maslikhat_deputy", "Маслихат района", "Е. Каримов"),
        AttendanceEntry("maslikhat_deputy", "Маслихат  района", "Ж. Сейткали"),
        AttendanceEntry("party", "Партия «Пример»", count=2), AttendanceEntry("media", "Газета «Бесағаш тынысы»"),
        AttendanceEntry("ngo", "ОФ «Жасыл ауыл»"), AttendanceEntry("opposition", "", "З. Оспанов"),
    ]
    assert check_attendance(entries) == ()
    summary = attendance_summary(entries)
    assert [(s.category, s.people, s.organisations) for s in summary] == [
        ("maslikhat_deputy", 2, ("Маслихат района",)), ("party", 2, ("Партия «Пример»",)),
        ("ngo", 1, ("ОФ «Жасыл ауыл»",)), ("opposition", 1, ()), ("media", 1, ("Газета «Бесағаш тынысы»",)),
    ]
    assert "Оспанов" not in repr(summary) and "Каримов" not in repr(summary)


def test_attendance_errors_and_missing_categories() -> None:
    issues = check_attendance([AttendanceEntry("press", "x"), AttendanceEntry("media", "", count=0),
                               AttendanceEntry("media", "y" * 201), AttendanceEntry("ngo", "z", count=True)])  # type: ignore[arg-type]
    assert [(i.level, i.field) for i in issues if i.level == "error"] == [
        ("error", "entries[0].category"), ("error", "entries[1].count"), ("error", "entries[1]"),
        ("error", "entries[2]"), ("error", "entries[3].count")]
    assert sorted(i.message for i in issues if i.level == "warning") == [
        "nobody recorded from: maslikhat_deputy", "nobody recorded from: opposition", "nobody recorded from: party"]
