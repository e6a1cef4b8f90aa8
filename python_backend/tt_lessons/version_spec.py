"""Just enough of PEP 440/508 to ask "does this jax satisfy what pjrt-plugin-tt requires?".

The backend's own environment does not ship `packaging` (only pytest pulls it in), and the doctor
only needs to compare release numbers such as `jax==0.7.1` against an installed `0.6.2`. Versions
are compared by their release part (`1.2.3` of `1.2.3rc1+local`); pre-release, dev and local tags
are ignored, which is enough to spot a jax from a different release.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REQUIREMENT = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*"
    r"\(?(?P<spec>[^;()]*)\)?\s*(?:;(?P<marker>.*))?$"
)
_CLAUSE = re.compile(r"^\s*(?P<op>===|==|!=|~=|>=|<=|>|<)\s*(?P<version>\S+)\s*$")
_RELEASE = re.compile(r"^\s*v?(\d+(?:\.\d+)*)")


@dataclass(frozen=True)
class Requirement:
    name: str  # normalised: lower case, runs of -_. become -
    spec: str  # e.g. "==0.7.1" or ">=0.6,<0.8"; "" when any version will do
    marker: str | None


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(text: str) -> Requirement | None:
    match = _REQUIREMENT.match(text)
    if not match:
        return None
    marker = (match.group("marker") or "").strip() or None
    return Requirement(normalize(match.group("name")), match.group("spec").strip(), marker)


def release(version: str) -> tuple[int, ...]:
    match = _RELEASE.match(version)
    if not match:
        raise ValueError(f"not a version: {version!r}")
    return tuple(int(p) for p in match.group(1).split("."))


def _padded(version: tuple[int, ...], length: int) -> tuple[int, ...]:
    """1.0 and 1.0.0 are the same release: compare with missing parts as zeros."""
    return version + (0,) * max(0, length - len(version))


def _starts_with(have: tuple[int, ...], prefix: tuple[int, ...]) -> bool:
    return _padded(have, len(prefix))[: len(prefix)] == prefix


def _clause_holds(op: str, wanted: str, have: tuple[int, ...]) -> bool:
    if op in ("==", "!=") and wanted.endswith(".*"):
        same = _starts_with(have, release(wanted[:-2]))
        return same if op == "==" else not same
    want = release(wanted)
    size = max(len(want), len(have))
    have, want = _padded(have, size), _padded(want, size)
    if op in ("==", "==="):
        return have == want
    if op == "!=":
        return have != want
    if op == ">=":
        return have >= want
    if op == "<=":
        return have <= want
    if op == ">":
        return have > want
    if op == "<":
        return have < want
    # ~=X.Y.Z means >=X.Y.Z and ==X.Y.*
    written = release(wanted)
    return have >= want and _starts_with(have, written[: max(1, len(written) - 1)])


def satisfies(version: str, spec: str) -> bool:
    """Whether `version` meets every comma-separated clause of `spec` (release numbers only)."""
    have = release(version)
    for clause in filter(None, (c.strip() for c in spec.split(","))):
        match = _CLAUSE.match(clause)
        if not match:
            raise ValueError(f"not a version clause: {clause!r}")
        if not _clause_holds(match.group("op"), match.group("version"), have):
            return False
    return True


def requirement_for(requires: list[str], package: str) -> Requirement | None:
    """The unconditional requirement on `package` among a distribution's `Requires-Dist` lines."""
    for line in requires:
        parsed = parse_requirement(line)
        if parsed and parsed.name == normalize(package) and not parsed.marker:
            return parsed
    return None
