"""``exercise print --cards|--msel|--eeg`` (issue 15): what staff hand out, as self-contained
HTML that prints cleanly on A4 and Letter. Players' cards never carry control information."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from exercise_engine.cli import main
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.catalog import Catalog
from exercise_engine.model.loader import load_catalog
from exercise_engine.workbench.printing import build_printout, render

CONTENT = Path(__file__).parent / "fixtures" / "content"
BROKEN = Path(__file__).parent / "fixtures" / "broken"
MM = 96 / 25.4  # CSS pixels per millimetre
PAPERS = {"A4": (210, 297), "Letter": (215.9, 279.4)}
MARGIN = 15  # mm, workbench.css @page


@pytest.fixture(scope="module")
def harbour() -> Bundle:
    catalog = load_catalog([CONTENT], include_content_path=False)
    return catalog.bundle("harbour-test")


@pytest.fixture(scope="module")
def kallen() -> Bundle:
    return load_catalog().bundle("kallen-early-warning")


def words(html: str) -> str:
    """The text of a page as a reader sees it: entities decoded, spaces collapsed."""
    return " ".join(unescape(html).split())


def cards_of(html: str) -> list[str]:
    return re.findall(r'<article class="card" id="card-([^"]+)"', html)


def test_one_card_per_inject_in_running_order(harbour: Bundle) -> None:
    printout = build_printout(harbour)
    html = render(printout, "cards")
    ids = cards_of(html)
    assert sorted(ids) == sorted(i.id for i in harbour.scenario.injects)
    assert ids.index("I-01") < ids.index("I-04") < ids.index("I-06") < ids.index("I-07")
    assert [e.number for e in printout.entries] == list(range(1, len(ids) + 1))


def test_cards_carry_what_players_receive_and_no_control_information(kallen: Bundle) -> None:
    html = render(build_printout(kallen), "cards")
    text = words(html)
    for inject in kallen.scenario.injects:
        assert f'id="card-{inject.id}"' in html
        if inject.notes.strip():
            assert " ".join(inject.notes.split())[:60] not in text, inject.id
        if inject.when:
            assert inject.when not in text, inject.id  # a branch's condition is not given away
        for option in inject.respond.options if inject.respond else []:
            assert " ".join(option.text.split())[:50] in text
    for criterion in kallen.rubric.criteria:
        assert criterion not in html


def test_hostile_markdown_is_shown_never_run_or_fetched(tmp_path: Path) -> None:
    text = (
        (BROKEN / "valid.yaml")
        .read_text()
        .replace(
            '    title: "Leaflets"',
            '    title: "Leaflets"\n    body: "<script>alert(1)</script> ![x](https://evil.example/p.png)'
            ' [click](javascript:alert(2))"',
        )
    )
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    catalog = load_catalog([path], [CONTENT])
    html = render(build_printout(catalog.bundle(str(path))), "cards")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "<a " not in html and "javascript:" not in html.split("<body")[0]


@pytest.mark.parametrize("document", ["cards", "msel", "eeg"])
def test_each_document_is_one_self_contained_page(harbour: Bundle, document: str) -> None:
    html = render(build_printout(harbour), document)
    assert html.startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    assert "@page" in html
    for fetching in ("<script", "<link", "<img", "src=", "@import", "url(http"):
        assert fetching not in html, fetching
    assert not re.search(r"https?://", html)


def test_the_msel_is_for_control_staff(kallen: Bundle) -> None:
    html = render(build_printout(kallen), "msel")
    text = words(html)
    for inject in kallen.scenario.injects:
        assert f"<b>{inject.id}</b>" in html
        if inject.notes.strip():
            assert " ".join(inject.notes.split())[:40] in text, inject.id
    assert "size: landscape" in html
    assert "UND-2:" in html  # what options score
    assert all(rule.when in text for rule in kallen.scenario.rules)


def test_the_msel_shows_the_designers_record(tmp_path: Path) -> None:
    ridge = load_catalog([Path(__file__).parent / "fixtures" / "ridge"], include_content_path=False)
    html = render(build_printout(ridge.bundle("ridge-fire")), "msel")
    assert "DEBRIEF-ONLY" in html and "licence CC0-1.0" in html


def test_the_evaluation_guide_has_rating_boxes_for_each_role_a_criterion_applies_to(
    harbour: Bundle,
) -> None:
    printout = build_printout(harbour)
    html = render(printout, "eeg")
    sections = re.split(r'<section class="criterion">', html)[1:]
    assert [w.criterion.id for w in printout.watches] == ["UND-1", "PRO-1", "SHP-1"]
    pro = next(s for s in sections if "PRO-1 Lawful" in s)
    assert pro.count("<tr><td>") == 2  # military and police only
    assert pro.count('<div class="boxes"><i></i></div>') == 2 * 5  # P S M U N/O
    assert "Applies the use-of-force model" in pro and "I-04" in pro and "I-06" in pro
    assert "Evaluator" in html and "Signature" in html


def test_the_evaluation_guide_says_where_the_room_is_rated() -> None:
    ridge = load_catalog([Path(__file__).parent / "fixtures" / "ridge"], include_content_path=False)
    text = words(render(build_printout(ridge.bundle("ridge-team")), "eeg"))
    assert "NIGHT</b> Night shift handover <b>plenary</b>: rate each role's part" in text
    assert "GEN</b> The shelter needs a generator <span" in text  # a team decision is not


@pytest.mark.parametrize("document", ["cards", "msel", "eeg"])
def test_print_writes_the_file_asked_for(
    document: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"{document}.html"
    code = main(
        ["print", "harbour-test", f"--{document}", "--content", str(CONTENT), "-o", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    assert out.read_text().startswith("<!doctype html>")


def test_print_needs_one_document(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["print", "harbour-test", "--content", str(CONTENT)])
    assert exit_.value.code == 2
    assert "one of the arguments --cards --msel --eeg is required" in capsys.readouterr().err


# -- in a browser, as it will be printed -------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PROBE = """<script>
const cards = [...document.querySelectorAll('.card')];
const r = {width: document.documentElement.scrollWidth,
           cards: cards.map(c => c.getBoundingClientRect().height)};
document.title = 'PROBE' + JSON.stringify(r);
</script></body>"""


def _chromium(*args: str | Path) -> str:
    """Run Debian's headless chromium on a page (the last argument); its standard output."""
    *flags, page = args
    uri = Path(page).as_uri()
    done = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", *map(str, flags), uri],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def _layout(html: str, width_mm: float, tmp_path: Path) -> dict:
    page = tmp_path / "probe.html"
    page.write_text(html.replace("</body>", PROBE))
    width = round(width_mm * MM)
    dom = _chromium(f"--window-size={width},1000", "--virtual-time-budget=3000", "--dump-dom", page)
    found = re.search(r"<title>PROBE(.*?)</title>", dom)
    assert found, dom[:500]
    return json.loads(found.group(1).replace("&quot;", '"'))


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)")
@pytest.mark.parametrize("document", ["cards", "msel", "eeg"])
def test_pages_fit_a4_and_letter_in_a_browser(
    kallen: Bundle, document: str, tmp_path: Path
) -> None:
    """At the printable width both papers share (A4 portrait, 180 mm; landscape for the MSEL)
    nothing overflows sideways, and every inject card fits on one page of either paper."""
    html = render(build_printout(kallen), document)
    if document == "msel":
        width = min(h for _, h in PAPERS.values()) - 2 * 12  # landscape, 12 mm margins
    else:
        width = min(w for w, _ in PAPERS.values()) - 2 * MARGIN
    layout = _layout(html, width, tmp_path)
    assert layout["width"] <= round(width * MM) + 1, layout["width"]
    if document == "cards":
        page = min(h for _, h in PAPERS.values()) - 2 * MARGIN
        assert len(layout["cards"]) == len(kallen.scenario.injects)
        tallest = max(layout["cards"])
        assert tallest <= page * MM, f"a card is {tallest / MM:.0f} mm, the page {page} mm"


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)")
@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_cards_print_to_pdf_on_either_paper(
    harbour: Bundle, paper: str, tmp_path: Path, fixture_catalog: Catalog
) -> None:
    html = render(build_printout(harbour), "cards")
    page = tmp_path / "cards.html"
    page.write_text(html.replace("</style>", f"@page {{ size: {paper}; }}</style>", 1))
    pdf = tmp_path / "cards.pdf"
    _chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page)
    data = pdf.read_bytes()
    boxes = {
        tuple(round(float(n)) for n in m.split())
        for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)
    }
    w, h = PAPERS[paper]
    assert boxes == {(0, 0, round(w / 25.4 * 72), round(h / 25.4 * 72))}
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert 1 <= pages <= len(harbour.scenario.injects)
