"""Who took part around a meeting: the commission that pools requests, and the wide audience.

Before the meeting a commission pools the population's requests; the decree wants members of the
local community assembly and public councils in it. At the meeting the wide audience is recorded
(maslikhat deputies, party representatives, NGOs, the opposition, media) and shown in the
package. Names stay in the workspace: :func:`attendance_summary` gives counts and organisations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

COMMISSION_ROLES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "chair": ("председатель", "төраға"),
    "deputy_chair": ("заместитель председателя", "төрағаның орынбасары"),
    "secretary": ("секретарь", "хатшы"),
    "akimat_staff": ("сотрудник акимата", "әкімдік қызметкері"),
    "community_assembly": ("член собрания местного сообщества", "жергілікті қоғамдастық жиналысының мүшесі"),
    "public_council": ("член общественного совета", "қоғамдық кеңес мүшесі"),
    "maslikhat_deputy": ("депутат маслихата", "мәслихат депутаты"),
    "other": ("другой член комиссии", "комиссияның басқа мүшесі"),
})
PUBLIC_ROLES = frozenset({"community_assembly", "public_council"})
AUDIENCE_CATEGORIES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "maslikhat_deputy": ("депутаты маслихата", "мәслихат депутаттары"),
    "party": ("представители политических партий", "саяси партиялардың өкілдері"),
    "ngo": ("неправительственные организации", "үкіметтік емес ұйымдар"),
    "opposition": ("представители оппозиции", "оппозиция өкілдері"),
    "media": ("средства массовой информации", "бұқаралық ақпарат құралдары"),
    "public_council": ("общественные советы", "қоғамдық кеңестер"),
    "other": ("другие участники", "басқа қатысушылар"),
})
WIDE_AUDIENCE = ("maslikhat_deputy", "party", "ngo", "opposition", "media")  # the decree's list
MAX_NAME = 200


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found by a check: ``level`` "error" blocks saving, "warning" is shown."""

    level: str
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class CommissionMember:
    """A member of the commission, in a role."""

    name: str
    role: str
    organisation: str = ""


@dataclass(frozen=True, slots=True)
class Commission:
    """The commission that pools the population's requests before a meeting."""

    members: tuple[CommissionMember, ...]


def check_commission(commission: Commission) -> tuple[Issue, ...]:
    """Errors (empty, unknown role, duplicate, not exactly one chair) and the composition warning."""
    issues: list[Issue] = []
    if not commission.members:
        return (Issue("error", "members", "the commission has no members"),)
    seen: set[str] = set()
    for i, m in enumerate(commission.members):
        if m.role not in COMMISSION_ROLES:
            issues.append(Issue("error", f"members[{i}].role", "one of " + ", ".join(COMMISSION_ROLES)))
        key = " ".join(m.name.casefold().split())
        if not key or len(m.name) > MAX_NAME:
            issues.append(Issue("error", f"members[{i}].name", f"required, at most {MAX_NAME} characters"))
        elif key in seen:
            issues.append(Issue("error", f"members[{i}].name", "this person is already in the commission"))
        seen.add(key)
    chairs = sum(1 for m in commission.members if m.role == "chair")
    if chairs != 1:
        issues.append(Issue("error", "members", f"the commission needs exactly one chair, not {chairs}"))
    if not any(m.role in PUBLIC_ROLES for m in commission.members):
        issues.append(Issue("warning", "members",
                            "no member of the local community assembly or of a public council, as the decree asks"))
    return tuple(issues)


@dataclass(frozen=True, slots=True)
class AttendanceEntry:
    """People of one category at the meeting: an organisation, optionally a person, and how many."""

    category: str
    organisation: str = ""
    name: str = ""
    count: int = 1


@dataclass(frozen=True, slots=True)
class CategorySummary:
    """One category in the package: how many came and from which organisations (no names)."""

    category: str
    people: int
    organisations: tuple[str, ...]


def check_attendance(entries: Iterable[AttendanceEntry]) -> tuple[Issue, ...]:
    """Errors in the attendance record, and a warning per wide-audience category nobody came from."""
    issues: list[Issue] = []
    present: set[str] = set()
    for i, e in enumerate(entries):
        if e.category not in AUDIENCE_CATEGORIES:
            issues.append(Issue("error", f"entries[{i}].category", "one of " + ", ".join(AUDIENCE_CATEGORIES)))
        if isinstance(e.count, bool) or not isinstance(e.count, int) or not 1 <= e.count <= 100_000:
            issues.append(Issue("error", f"entries[{i}].count", "a whole number from 1"))
        if not (e.organisation.strip() or e.name.strip()):
            issues.append(Issue("error", f"entries[{i}]", "an organisation or a name is needed"))
        if len(e.organisation) > MAX_NAME or len(e.name) > MAX_NAME:
            issues.append(Issue("error", f"entries[{i}]", f"at most {MAX_NAME} characters"))
        present.add(e.category)
    for category in WIDE_AUDIENCE:
        if category not in present:
            issues.append(Issue("warning", "entries", f"nobody recorded from: {category}"))
    return tuple(issues)


def attendance_summary(entries: Iterable[AttendanceEntry]) -> tuple[CategorySummary, ...]:
    """Counts and organisations per category, in the decree's order; personal names are left out."""
    people: dict[str, int] = {}
    orgs: dict[str, set[str]] = {}
    for e in entries:
        people[e.category] = people.get(e.category, 0) + e.count
        if e.organisation.strip():
            orgs.setdefault(e.category, set()).add(" ".join(e.organisation.split()))
    order = [c for c in AUDIENCE_CATEGORIES if c in people]
    return tuple(CategorySummary(c, people[c], tuple(sorted(orgs.get(c, ()), key=str.casefold))) for c in order)
