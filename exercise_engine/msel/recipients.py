"""Recipients to roles and delivery methods to channels, as MSELs write them.

A recipient cell may name several (``Host State, Police``, ``un_mission;humanitarian``) or
everyone (``All``). Each name is matched to a role by id, by the role's name, or by an alias
planners use (``UNMISS``, ``Force``, ``OCHA``, ``Government``...), longest alias first, so
``UN Police`` is the police and not the mission. ``--roles NAME=role`` adds the sheet's own
names. A delivery method is matched by keyword (``Email printout`` is email, ``Verbal`` is a
meeting); an unknown one becomes a ``report`` with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from exercise_engine.model.scenario import ALL_ROLES

ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "host_state": (
        "host state",
        "host government",
        "host nation",
        "government",
        "gov",
        "govt",
        "ministry",
        "minister",
        "governor",
        "national authorities",
        "authorities",
        "president",
        "prime minister",
        "hn",
    ),
    "un_mission": (
        "un",
        "un mission",
        "mission",
        "unmiss",
        "monusco",
        "minusca",
        "minusma",
        "unamid",
        "unmil",
        "unifil",
        "unima",
        "srsg",
        "dsrsg",
        "mission hq",
        "mission leadership",
        "mission headquarters",
        "jmac",
        "joc",
        "civil affairs",
        "human rights",
        "hrd",
        "head of office",
        "peacekeeping mission",
        "un hq",
        "dpo",
    ),
    "military": (
        "military",
        "force",
        "force hq",
        "fhq",
        "un force",
        "force commander",
        "fc",
        "peacekeepers",
        "battalion",
        "batt",
        "bn",
        "brigade",
        "troops",
        "sector hq",
        "contingent",
        "tcc",
        "qrf",
    ),
    "police": (
        "police",
        "unpol",
        "un police",
        "fpu",
        "police commissioner",
        "police component",
        "ipo",
        "law enforcement",
        "gendarmerie",
        "national police",
    ),
    "humanitarian": (
        "humanitarian",
        "humanitarians",
        "ocha",
        "hct",
        "hc",
        "humanitarian coordinator",
        "humanitarian country team",
        "unhcr",
        "wfp",
        "unicef",
        "iom",
        "ngo",
        "ngos",
        "ingo",
        "icrc",
        "red cross",
        "msf",
        "protection cluster",
        "cluster",
        "aid agencies",
    ),
    "red_cell": ("red cell", "perpetrators", "spoilers"),
    "green_cell": ("green cell", "population", "media cell"),
}
EVERYONE = (
    "all",
    "everyone",
    "all players",
    "all participants",
    "all roles",
    "all teams",
    "plenary",
    "all seats",
    "all cells",
)

# Channel -> keywords, checked in this order (so "Email printout" is email, not a report).
CHANNEL_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("email", ("email", "e mail", "mail", "chat", "instant message", "im", "teams", "slack")),
    (
        "phone",
        (
            "phone",
            "telephone",
            "call",
            "sms",
            "text message",
            "mobile",
            "cell",
            "voicemail",
            "satphone",
            "whatsapp",
            "signal",
        ),
    ),
    ("radio", ("radio", "vhf", "hf", "uhf", "net call", "tetra", "walkie", "radio net")),
    (
        "social",
        (
            "social",
            "twitter",
            "tweet",
            "x post",
            "facebook",
            "tiktok",
            "instagram",
            "youtube",
            "telegram channel",
            "online post",
            "blog",
        ),
    ),
    (
        "news",
        (
            "media",
            "news",
            "press",
            "tv",
            "television",
            "newspaper",
            "broadcast",
            "journalist",
            "interview",
            "headline",
        ),
    ),
    (
        "meeting",
        (
            "verbal",
            "face to face",
            "in person",
            "meeting",
            "briefing",
            "conversation",
            "vtc",
            "video",
            "visit",
            "walk in",
            "role player",
            "roleplay",
            "delegation",
            "conference",
            "oral",
        ),
    ),
    ("cable", ("cable", "code cable", "telegram", "diplomatic", "demarche", "note verbale")),
    ("intel", ("intel", "intelligence", "intsum", "informant", "humint", "sigint")),
    (
        "report",
        (
            "report",
            "sitrep",
            "spotrep",
            "document",
            "memo",
            "letter",
            "printout",
            "handout",
            "paper",
            "fax",
            "written",
            "assessment",
            "inject card",
            "card",
        ),
    ),
)
CHANNELS = tuple(name for name, _ in CHANNEL_KEYWORDS)
_SPLIT = re.compile(r"\s*(?:[,;/&+\n|]|\band\b)\s*", re.IGNORECASE)


def words(text: str) -> str:
    """Lowercase words separated by single spaces (``UN_Mission`` -> ``un mission``)."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def channel_for(text: str) -> str | None:
    """The channel a delivery method means, or None when no keyword matches."""
    said = f" {words(text)} "
    for channel, keywords in CHANNEL_KEYWORDS:
        if said.strip() == channel or any(f" {k} " in said for k in keywords):
            return channel
    return None


@dataclass
class RoleMatcher:
    """Maps the recipients of a sheet to the roles on the content path."""

    roles: dict[str, str]
    """Role id -> role name, for every role the import may use."""
    given: dict[str, str] = field(default_factory=dict)
    """Names the designer mapped with ``--roles`` (normalised name -> role id)."""
    used: dict[str, str] = field(default_factory=dict)
    """Every name met in the sheet and the role it became (for the mapping report)."""

    def __post_init__(self) -> None:
        self._names: dict[str, str] = {}
        for role_id, name in self.roles.items():
            self._names[words(role_id)] = role_id
            self._names[words(name)] = role_id
            for alias in ROLE_ALIASES.get(role_id, ()):
                self._names.setdefault(alias, role_id)
        self._names.update(self.given)
        self._longest_first = sorted(self._names, key=len, reverse=True)

    def role(self, name: str) -> str | None:
        """The role id of one recipient name, ``all`` for everyone, or None."""
        said = words(name)
        if not said:
            return None
        if said in EVERYONE or said == ALL_ROLES:
            return ALL_ROLES
        found = self._names.get(said)
        if found is None:
            padded = f" {said} "
            found = next((self._names[a] for a in self._longest_first if f" {a} " in padded), None)
        if found is not None:
            self.used[name.strip()] = found
        return found

    def recipients(self, cell: str) -> tuple[list[str], list[str]]:
        """The roles of a recipient cell, and the names that matched no role."""
        if words(cell) in self.given:  # a name the designer mapped, commas and all
            return [self.given[words(cell)]], []
        roles: list[str] = []
        unknown: list[str] = []
        for part in (p for p in _SPLIT.split(cell) if p.strip()):
            role = self.role(part)
            if role is None:
                unknown.append(part.strip())
            elif role not in roles:
                roles.append(role)
        if ALL_ROLES in roles:
            return [ALL_ROLES], unknown
        return roles, unknown


class RoleSpecError(ValueError):
    """A ``--roles`` entry that is not NAME=role with a known role."""


def parse_role_spec(spec: str | None, known: Iterable[str]) -> dict[str, str]:
    """``team1=un_mission,Sim Cell=red_cell`` -> normalised name -> role id."""
    known = set(known)
    mapping: dict[str, str] = {}
    for part in (p.strip() for p in (spec or "").split(",")):
        if not part:
            continue
        name, sep, role = part.rpartition("=")
        if not sep or not name.strip() or not role.strip():
            raise RoleSpecError(f"'{part}' is not NAME=role (like UNMISS=un_mission)")
        role = role.strip()
        if role not in known and role != ALL_ROLES:
            raise RoleSpecError(
                f"unknown role '{role}' in '{part}'; roles: {', '.join(sorted(known))}"
            )
        mapping[words(name)] = role
    return mapping
