"""Doctrine judgements the shipped scores must keep (issue 13): where a PoC trainer read an
option's points as wrong, the fix is pinned here with the reason, so a later rewrite of the
text cannot bring the old judgement back unnoticed."""

from __future__ import annotations

from fixtures.shipped import CATALOG as SHIPPED
from fixtures.shipped import played

from exercise_engine.engine import events as ev
from exercise_engine.scoring import Index, Scale, score, spectrum


def test_keeping_the_mareth_gate_shut_is_not_upholding_humanitarian_principles() -> None:
    """INJ-205 E (the force's; B before the options were relabelled) turns 6,000 civilians away
    from the base, where two children have already died at the wire, and sends them and the
    agencies to the stadium under the 4th Brigade, which the notes call unsafe for Ruvi:
    humanity and independence both fail, and so does access. The force's preferred option opens
    the gate to everyone; the humanitarian team's is never the stadium."""
    bundle = SHIPPED.bundle("kallen-early-warning")
    index = Index(bundle)
    gate_shut = index.option("INJ-205", "E")
    assert gate_shut is not None and "gate closed" in gate_shut.text
    assert gate_shut.scores["PRO-4"] == Scale(bundle.rubric).low
    preferred = index.preferred("INJ-205", "military")
    assert preferred is not None and "Open the gate to everyone" in preferred[0].text
    preferred = index.preferred("INJ-205", "humanitarian")
    assert preferred is not None and "stadium" not in preferred[0].text


def test_the_mission_does_not_brandish_a_coercive_brigade_it_was_told_of_in_confidence() -> None:
    """INJ-040: the option that has the SRSG of a consent-based mission let Port Ilan know of a
    CSU intervention brigade from a non-paper shared in confidence is a coercive signal that is
    the Council's and the guarantors' to send, and a bluff (ten weeks away, a veto signalled)
    that names no risk. It is the option the rubric values least; the quiet contingency with the
    brakes named and consent pursued through the guarantors is the one it values most. (Options
    are found by what they say: their letters and order carry no meaning.)"""
    bundle = SHIPPED.bundle("kallen-after-atrocities")
    index = Index(bundle)
    respond = bundle.scenario.inject("INJ-040").respond
    signal = next(o for o in respond.options if "let Port Ilan know" in o.text)
    quiet = next(o for o in respond.options if "plan the brigade quietly" in o.text)
    for role in respond.roles:  # an option's value is per role
        values = {o.id: index.value("INJ-040", o, role) for o in respond.options}
        assert min(values, key=values.__getitem__) == signal.id, role
        assert max(values, key=values.__getitem__) == quiet.id, role
    scale = Scale(bundle.rubric)
    for criterion in ("PRO-7", "UND-5", "SHP-1"):
        assert signal.scores[criterion] == scale.low, criterion


def test_the_rubric_weighs_corruption_local_ownership_and_own_effects_as_the_paper_does() -> None:
    """ "Corruption may be the biggest obstacle to achieving desired outcomes": SHP-5 weighs as
    much as any criterion of the rubric. Local ownership and long-term prevention (SHP-6) and the
    effects of one's own operations (UND-6) weigh as much as their neighbours, and local ownership
    is every role's business."""
    rubric = SHIPPED.rubrics["poc-doctrine"].model
    criteria = rubric.criteria
    heaviest = max(c.weight for c in criteria.values())
    assert criteria["SHP-5"].weight == heaviest
    for criterion in ("SHP-6", "UND-6"):
        dimension = rubric.dimension_of(criterion)
        ordinary = [c.weight for c in dimension.criteria if not c.critical and c.id != "SHP-5"]
        assert criteria[criterion].weight == max(ordinary), criterion
    assert criteria["SHP-6"].roles == ["all"]


def test_coordination_is_credited_only_for_exchanges_between_the_roles() -> None:
    """The issue's random run earned "cooperation / collaboration" for choices that merely
    matched: in every shipped scenario a team that never writes to another reaches nothing, and
    every pair a random run puts at cooperation exchanged messages or shares first."""
    for scenario in sorted(SHIPPED.scenarios):
        bundle = SHIPPED.bundle(scenario)
        for policy, seed in (("worst", 1), ("random", 3)):
            log = played(bundle, policy, seed).log
            card = score(bundle, log)
            talked = {
                frozenset((r.event.role, other))
                for r in log
                if isinstance(r.event, ev.MessageSent | ev.InformationShared)
                for other in r.event.to
            }
            for role in card.roles.values():
                for pair in role.coordination.pairs:
                    if policy == "worst":
                        assert pair.level == spectrum.COEXISTENCE, (scenario, role.role, pair)
                    elif pair.level == spectrum.COOPERATION:
                        assert frozenset((role.role, pair.other)) in talked, (scenario, pair)


def test_humanitarian_coordination_is_credited_no_further_than_its_principles_allow() -> None:
    """Neutrality and independence: with the force and with a host state whose forces are among
    the perpetrators, humanitarians share information at most; every limit says why."""
    coordination = SHIPPED.rubrics["poc-doctrine"].model.coordination
    assert coordination.expected == "cooperation"
    limits = {frozenset(p.roles): p.expected for p in coordination.pairs}
    assert limits[frozenset({"humanitarian", "military"})] == "information-sharing"
    assert limits[frozenset({"humanitarian", "host_state"})] == "information-sharing"
    assert all(p.description.strip() for p in coordination.pairs)


def test_forwarding_a_sensitive_report_is_faulted_and_best_play_never_does() -> None:
    """The issue's humanitarian seat was credited for information sharing when it forwarded a
    report naming a protection monitor to the host state and a sexual-violence report to the
    force. Random play that does so now loses UND-5 (and PRO-5 for a sexual-violence report),
    with no coordination credit for it; best play shares sensitive reports with nobody else."""
    faulted = 0
    for scenario in sorted(SHIPPED.scenarios):
        bundle = SHIPPED.bundle(scenario)
        marked = {i.id for i in bundle.scenario.injects if i.sensitive is not None}
        assert marked, scenario
        for policy, seeds in (("best", (1,)), ("random", range(1, 6))):
            for seed in seeds:
                card = score(bundle, played(bundle, policy, seed).log)
                if policy == "best":
                    assert not card.breaches, (scenario, card.breaches)
                    continue
                for breach in card.breaches:
                    faulted += 1
                    role = card.roles[breach.role]
                    und5 = role.criterion("UND-5")
                    assert any(i.source == "breach" and i.seq == breach.seq for i in und5.items)
                    assert "UND-5" in breach.criteria and breach.reason
                    for other in breach.to:
                        pair = next((p for p in role.coordination.pairs if p.other == other), None)
                        assert pair is None or breach.seq not in pair.seqs
    assert faulted, "no random run breached: choose other seeds"
