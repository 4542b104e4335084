"""City briefs: the PDF ``python -m geo brief`` writes is read back with poppler (pdftotext,
pdffonts, pdftoppm), as a reader of the PDF would see it."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PIL import Image

from geo.brief import gather
from geo.brief.mapdraw import UNIT_EDGE
from geo.brief.pages import render_pdf
from geo.cli import main
from geo.mentions import tasks_for
from geo.progress.ledger import Event
from geo.vocabulary import LAYERS

UNITS = ("遂宁", "万州区", "大竹县", "璧山区")
AS_OF = "2024-06-30"

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None and os.environ.get("CI") != "true",
    reason="poppler-utils (pdftotext) not installed",
)


def pdftext(path: Path, *pages: int) -> str:
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(
        ["pdftotext", *span, str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def squeezed(text: str) -> str:
    """Text without white space: a name the layout wrapped onto two lines reads as one."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def briefs(tmp_path_factory) -> dict[tuple[str, str], Path]:
    directory = tmp_path_factory.mktemp("briefs")
    made = {}
    for place in UNITS:
        for lang in ("zh", "en"):
            out = directory / f"{place}-{lang}.pdf"
            assert main(["brief", place, "--as-of", AS_OF, "--lang", lang, "--out", str(out)]) == 0
            made[place, lang] = out
    return made


@pytest.mark.parametrize("place", UNITS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pdf_names_every_task_and_item_with_date_and_footer(briefs, place, lang):
    text = pdftext(briefs[place, lang])
    flat = squeezed(text)
    content = gather(place, date.fromisoformat(AS_OF), lang, [])
    numbers = sorted(hit.task for hit in tasks_for(content.unit.adcode))
    assert numbers, place
    task_word = "Task" if lang == "en" else "任务"
    for number in numbers:
        assert f"{task_word}{number}" in flat
    assert content.items
    for item in content.items:
        assert squeezed(f"({item.id})") in flat
        assert squeezed(item.name) in flat
    assert squeezed(content.unit.name) in flat
    assert AS_OF in text
    pages = subprocess.run(
        ["pdfinfo", str(briefs[place, lang])], capture_output=True, text=True, check=True
    ).stdout
    total = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
    footer = f"page1of{total}" if lang == "en" else f"第1/{total}页"
    assert footer in flat
    assert (f"page{total}of{total}" if lang == "en" else f"第{total}/{total}页") in flat


def test_the_english_brief_is_in_english(briefs):
    first = pdftext(briefs["遂宁", "en"], 1)
    assert "City brief: Suining" in first
    assert "Legend" in first and "Tasks naming it" in first
    assert "Data credits" in first and "ODbL" in first
    assert "图例" not in first and "城市简报" not in first
    chinese_first = pdftext(briefs["遂宁", "zh"], 1)
    assert "城市简报:遂宁市" in chinese_first and "图例" in chinese_first and "公里" in chinese_first


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cjk_font_is_embedded(briefs, lang):
    fonts = subprocess.run(
        ["pdffonts", str(briefs["万州区", lang])], capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    cjk = [row for row in rows if "NotoSansCJK" in row[0]]
    assert cjk and all(row[-5] == "yes" for row in cjk)  # the "emb" column


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _pixels_near(image: Image.Image, colour: str, tolerance: int = 40) -> int:
    target = _hex(colour)
    return sum(
        count
        for count, pixel in image.getcolors(maxcolors=1 << 20)
        if all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], target, strict=True))
    )


@pytest.mark.parametrize("place", ["遂宁", "大竹县"])
def test_the_map_page_renders_the_unit_the_features_and_a_scale_bar(briefs, place, tmp_path):
    subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(briefs[place, "zh"]), str(tmp_path / "p")],
        check=True,
        capture_output=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    assert _pixels_near(image, UNIT_EDGE) > 200  # the unit's outline
    content = gather(place, date.fromisoformat(AS_OF), "zh", [])
    drawn = {LAYERS[layer].colour for layer in set(content.features["layer"])}
    assert sum(_pixels_near(image, colour, 20) > 30 for colour in drawn) >= 2
    page_one = pdftext(briefs[place, "zh"], 1)
    assert "图例" in page_one and "公里" in page_one and "WGS 84" in page_one


SUINING_AIRPORT_STARTED = Event(
    id=1,
    item_id="air-suining",
    event_date=date(2024, 3, 1),
    precision="month",
    phase="开工",
    source="遂宁日报 2024-03-02 https://example.org/suining-airport",
    note="",
    author="test",
    recorded_at=datetime(2024, 3, 2, tzinfo=UTC),
    supersedes=None,
)


@pytest.fixture(scope="module")
def suining_after_the_start():
    """遂宁's brief in Chinese as of 2024-06-30 with one event: (its content, its PDF's text)."""
    content = gather("遂宁", date(2024, 6, 30), "zh", [SUINING_AIRPORT_STARTED])
    return content, squeezed(_text_of(render_pdf(content)))


def test_the_phase_and_its_source_as_of_the_day(suining_after_the_start):
    _, after = suining_after_the_start
    assert squeezed("截至 2024-06-30 进展:开工(2024-03)") in after
    assert "https://example.org/suining-airport" in after
    before = squeezed(_text_of(render_pdf(gather("遂宁", date(2024, 2, 1), "en", [SUINING_AIRPORT_STARTED]))))
    assert "example.org" not in before and "Noprogresseventby2024-02-01" in before


def test_a_unit_with_no_item_says_so(tmp_path):
    content = gather("璧山区", date(2024, 6, 30), "zh", [])
    empty = dataclasses.replace(content, items=(), features=content.features.iloc[0:0])
    assert "目录中没有位于此地的规划要素" in squeezed(_text_of(render_pdf(empty)))


def _text_of(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["不存在的地方"], "unknown place"),
        (["重庆"], "is not a prefecture, district or county"),
        (["遂宁", "--as-of", "2024-02-30"], "bad --as-of date"),
        (["遂宁", "--as-of", "2999-01-01"], "in the future"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert main(["brief", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err
    assert not out.exists()


def test_an_existing_file_needs_force_and_data_is_refused(tmp_path, capsys):
    out = tmp_path / "b.pdf"
    out.write_bytes(b"keep")
    assert main(["brief", "大竹", "--as-of", AS_OF, "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err and out.read_bytes() == b"keep"
    assert main(["brief", "大竹", "--as-of", AS_OF, "--out", str(out), "--force"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    from geo.datafiles import PROJECT_DATA_DIR

    assert main(["brief", "大竹", "--out", str(PROJECT_DATA_DIR / "b.pdf")]) == 2
    assert not (PROJECT_DATA_DIR / "b.pdf").exists()


def test_the_brief_counts_the_warnings_of_its_items(suining_after_the_start):
    from geo.progress.warnings import evaluate, load_rules

    content, flat = suining_after_the_start
    items = dict(zip(content.features["id"], content.features["status"], strict=True))
    expected = evaluate(load_rules(), items, [SUINING_AIRPORT_STARTED], date(2024, 6, 30))
    assert content.warning_count == len(expected) > 0
    assert f"预警{len(expected)}条" in flat
    assert flat.count("预警:") == len(expected)
