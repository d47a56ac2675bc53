"""Doctrine coverage: which doctrine items the content exercises, and where.

Every tag of the vocabulary should be reachable from some inject, role or criterion, so that the
after-action review can tie any decision back to doctrine; this report shows the gaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from exercise_engine.model.catalog import Catalog
from exercise_engine.model.doctrine import Tag, Vocabulary, vocabulary


@dataclass
class TagUse:
    tag: Tag
    places: list[str] = field(default_factory=list)


@dataclass
class Coverage:
    vocabulary: Vocabulary
    uses: dict[str, TagUse]

    def group(self, group_id: str) -> list[TagUse]:
        return [self.uses[t.id] for t in self.vocabulary.group(group_id)]

    @property
    def missing(self) -> list[TagUse]:
        return [use for use in self.uses.values() if not use.places]

    @property
    def used(self) -> int:
        return sum(1 for use in self.uses.values() if use.places)


def doctrine_coverage(catalog: Catalog, *, played: bool = False) -> Coverage:
    """Where each doctrine item is used; ``played`` counts only what scenarios put in play
    (their injects, including the library injects they pull in, their roles and rubric)."""
    vocab = vocabulary()
    uses = {tag.id: TagUse(tag) for tag in vocab.tags}

    def note(names: list[str], place: str) -> None:
        for name in names:
            tag = vocab.resolve(name)
            if tag is not None and place not in uses[tag.id].places:
                uses[tag.id].places.append(place)

    for entry in catalog.scenarios.values():
        for inject in entry.model.injects:
            note(inject.tags, f"scenario {entry.id} {inject.id}")
    in_play_roles = {r for e in catalog.scenarios.values() for r in e.model.roles}
    in_play_rubrics = {e.model.rubric for e in catalog.scenarios.values()}
    if not played:
        for entry in catalog.libraries.values():
            for inject in entry.model.injects:
                note(inject.tags, f"library {entry.id}/{inject.id}")
    for entry in catalog.roles.values():
        if not played or entry.id in in_play_roles:
            note(entry.model.tools, f"role {entry.id}")
    for entry in catalog.rubrics.values():
        if played and entry.id not in in_play_rubrics:
            continue
        for dimension in entry.model.dimensions:
            for criterion in dimension.criteria:
                note(criterion.tags, f"rubric {entry.id} {criterion.id}")
    return Coverage(vocab, uses)
