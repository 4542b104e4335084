"""The brief's A4 pages, laid out with matplotlib and written by its PDF backend (PdfPages).

Page 1 holds the title, the counts, the map with its legend and credits; the tasks and the items
flow onto the pages after it. Text is wrapped by measured width (a CJK character is one em, other
characters about half of one), so a long sentence never runs off the page. The CJK font is
Noto Sans CJK from Debian's fonts-noto-cjk, embedded (TrueType/CID, "pdf.fonttype" 42) so the
PDF reads the same on any machine and its text can be searched and copied.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from geo.brief.content import Brief  # noqa: E402
from geo.brief.mapdraw import draw_map  # noqa: E402
from geo.errors import BriefError  # noqa: E402

FONT_FILE = "NotoSansCJK-Regular.ttc"
FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
FONT_FAMILY = "Noto Sans CJK SC"
A4_IN = (8.27, 11.69)
MARGIN_IN = 0.6
FOOTER_Y_IN = 0.35
BODY_PT = 8.5
PT_PER_IN = 72


def find_cjk_font() -> Path:
    """The Noto Sans CJK collection on this machine; BriefError in one line when it is missing."""
    for directory in FONT_DIRS:
        direct = directory / FONT_FILE
        if direct.is_file():
            return direct
        if directory.is_dir():
            found = next(iter(sorted(directory.rglob(FONT_FILE))), None)
            if found is not None:
                return found
    raise BriefError(f"the CJK font {FONT_FILE} is missing: install Debian's fonts-noto-cjk")


def _use_font() -> None:
    path = find_cjk_font()
    if FONT_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams.update(
        {"pdf.fonttype": 42, "font.family": [FONT_FAMILY], "axes.unicode_minus": False}
    )


def _width_em(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.56 for c in text)


def wrap(text: str, size_pt: float, width_in: float) -> list[str]:
    """``text`` broken into lines no wider than ``width_in`` at ``size_pt`` (breaks at spaces for
    Latin words where possible, anywhere between CJK characters)."""
    limit = width_in * PT_PER_IN / size_pt
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            if line and _width_em(line + token) > limit:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
            while _width_em(line) > limit:  # one token longer than a line (a URL)
                cut = _fit(line, limit)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    word = ""
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        elif char == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens


def _fit(text: str, limit: float) -> int:
    for cut in range(len(text), 0, -1):
        if _width_em(text[:cut]) <= limit:
            return max(cut, 1)
    return 1


@dataclass
class Line:
    """One line of text on a page: where it starts, its size, weight and colour."""

    text: str
    x_in: float
    size: float
    weight: str = "normal"
    colour: str = "#111111"


@dataclass
class Page:
    """The lines of one page, each with its distance from the top in inches."""

    lines: list[tuple[float, Line]] = field(default_factory=list)  # (y from the top, inches)
    is_map_page: bool = False


class Flow:
    """Lines placed top to bottom, a new page when the current one is full."""

    def __init__(self, first_top_in: float, first: Page):
        self.pages = [first]
        self.y = first_top_in
        self.bottom = A4_IN[1] - MARGIN_IN - 0.25

    def add(
        self,
        text: str,
        *,
        size: float = BODY_PT,
        indent: float = 0.0,
        weight: str = "normal",
        colour: str = "#111111",
        space_before: float = 0.0,
    ) -> None:
        width = A4_IN[0] - 2 * MARGIN_IN - indent
        self.y += space_before
        for piece in wrap(text, size, width):
            step = size * 1.45 / PT_PER_IN
            if self.y + step > self.bottom:
                self.pages.append(Page())
                self.y = MARGIN_IN
            self.y += step
            self.pages[-1].lines.append((self.y, Line(piece, MARGIN_IN + indent, size, weight, colour)))


def _tr(brief: Brief, zh: str, en: str) -> str:
    return en if brief.lang == "en" else zh


def _counts_line(brief: Brief) -> str:
    with_phase = sum(1 for item in brief.items if item.phase)
    return _tr(
        brief,
        f"点名任务 {len(brief.named)} 项 · 承接任务 {len(brief.received)} 项 · 位于或经过此地的规划要素 "
        f"{len(brief.items)} 个(截至 {brief.as_of.isoformat()} 有进展记录 {with_phase} 个)· 预警 {brief.warning_count} 条",
        f"Tasks naming it: {len(brief.named)} · tasks it receives: {len(brief.received)} · plan items in or "
        f"through it: {len(brief.items)} ({with_phase} with a progress event by {brief.as_of.isoformat()}) · "
        f"warnings: {brief.warning_count}",
    )


def _text_flow(brief: Brief, flow: Flow) -> None:
    flow.add(_tr(brief, "任务", "Tasks"), size=12, weight="bold", space_before=0.1)
    if not brief.tasks:
        flow.add(
            _tr(brief, "规划的47项任务都没有提到这里。", "None of the plan's 47 tasks names this place.")
        )
    groups = (
        (_tr(brief, "点名此地的任务", "Tasks naming it"), brief.named),
        (
            _tr(
                brief,
                "经所属市或所在组合承接的任务",
                "Tasks it receives through its prefecture or a grouping",
            ),
            brief.received,
        ),
    )
    for heading, tasks in groups:
        if not tasks:
            continue
        flow.add(f"{heading} ({len(tasks)})", size=10, weight="bold", space_before=0.06)
        for task in tasks:
            flow.add(
                _tr(brief, f"任务 {task.number}  {task.title}", f"Task {task.number}  {task.title}")
                + f"  [{'、'.join(task.routes) if brief.lang == 'zh' else ', '.join(task.routes)}]",
                weight="bold",
                space_before=0.05,
            )
            for sentence in task.sentences:
                flow.add(sentence, indent=0.18, colour="#333333")
    flow.add(
        _tr(brief, "位于或经过此地的规划要素", "Plan items in or through it"),
        size=12,
        weight="bold",
        space_before=0.18,
    )
    if not brief.items:
        flow.add(
            _tr(brief, "目录中没有位于此地的规划要素。", "No plan item of the catalogue lies in this unit.")
        )
    for item in brief.items:
        if item.phase:
            progress = _tr(
                brief,
                f"截至 {brief.as_of.isoformat()} 进展:{item.phase}({item.phase_date}),来源:{item.source}",
                f"Phase as of {brief.as_of.isoformat()}: {item.phase} ({item.phase_date}), source: {item.source}",
            )
        else:
            progress = _tr(
                brief,
                f"截至 {brief.as_of.isoformat()} 无进展记录",
                f"No progress event by {brief.as_of.isoformat()}",
            )
        flow.add(f"{item.name}  ({item.id})", weight="bold", space_before=0.04)
        flow.add(
            _tr(
                brief,
                f"{item.layer_title} · 定位精度:{item.precision} · 规划状态:{item.plan_status} · {progress}",
                f"{item.layer_title} · precision: {item.precision} · plan status: {item.plan_status} · {progress}",
            ),
            indent=0.18,
            colour="#333333",
        )
        for warning in item.warnings:
            flow.add(_tr(brief, f"预警:{warning}", f"Warning: {warning}"), indent=0.18, colour="#b71c1c")


def _footer(fig: Figure, brief: Brief, number: int, total: int) -> None:
    y = FOOTER_Y_IN / A4_IN[1]
    left = MARGIN_IN / A4_IN[0]
    version = f"v{brief.version}" if brief.version else ""
    fig.text(left, y, wrap(brief.plan_title, 6.5, 4.6)[0], fontsize=6.5, color="#555555", va="bottom")
    right = _tr(
        brief,
        f"截至 {brief.as_of.isoformat()} · 成渝规划地图 {version} · 第 {number} / {total} 页",
        f"As of {brief.as_of.isoformat()} · Chengdu–Chongqing plan map {version} · page {number} of {total}",
    )
    fig.text(1 - left, y, right, fontsize=6.5, color="#555555", ha="right", va="bottom")


def _first_page(fig: Figure, brief: Brief) -> float:
    """Title, counts, map, legend and credits; returns where the text flow starts (inches from top)."""

    def top(y_in: float) -> float:
        return 1 - y_in / A4_IN[1]

    left = MARGIN_IN / A4_IN[0]
    fig.text(
        left,
        top(0.75),
        _tr(brief, f"城市简报:{brief.unit_name}", f"City brief: {brief.unit_name}"),
        fontsize=17,
        weight="bold",
    )
    fig.text(
        left,
        top(1.0),
        _tr(
            brief,
            f"行政区划代码 {brief.unit.adcode} · 截至 {brief.as_of.isoformat()}",
            f"Adcode {brief.unit.adcode} · as of {brief.as_of.isoformat()}",
        ),
        fontsize=9,
        color="#444444",
    )
    for index, line in enumerate(wrap(_counts_line(brief), 9.5, A4_IN[0] - 2 * MARGIN_IN)):
        fig.text(left, top(1.3 + index * 0.2), line, fontsize=9.5, weight="bold")
    map_top, map_height = 1.75, 6.2
    width = A4_IN[0] - 2 * MARGIN_IN
    ax = fig.add_axes((left, top(map_top + map_height), width / A4_IN[0], map_height / A4_IN[1]))
    handles = draw_map(ax, brief.unit, brief.features, brief.lang)
    legend_top = map_top + map_height + 0.12
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(left, top(legend_top)),
        ncol=4,
        fontsize=7,
        frameon=False,
        title=_tr(brief, "图例", "Legend"),
        title_fontsize=8,
        alignment="left",
    )
    rows = (len(handles) + 3) // 4
    y = legend_top + 0.3 + rows * 0.2
    credit_lines = (
        [_tr(brief, "数据来源:", "Data credits:")]
        + list(brief.credits)
        + [
            _tr(
                brief,
                "底图不使用在线瓦片;图中边界非权威边界,仅供参考。",
                "Drawn without web map tiles; boundaries for reference only.",
            )
        ]
    )
    for credit in credit_lines:
        for piece in wrap(credit, 6.5, width):
            fig.text(left, top(y), piece, fontsize=6.5, color="#444444")
            y += 0.14
    return y + 0.1


def render_pdf(brief: Brief) -> bytes:
    """The brief as the bytes of an A4 PDF; the same brief gives the same bytes (no creation date)."""
    _use_font()
    first = Figure(figsize=A4_IN)
    start = _first_page(first, brief)
    flow = Flow(start, Page(is_map_page=True))
    _text_flow(brief, flow)
    total = len(flow.pages)
    buffer = io.BytesIO()
    title = _tr(brief, f"城市简报:{brief.unit_name}", f"City brief: {brief.unit_name}")
    with PdfPages(
        buffer,
        metadata={"Title": title, "Subject": brief.plan_title, "Creator": "geo brief", "CreationDate": None},
    ) as pdf:
        for number, page in enumerate(flow.pages, start=1):
            fig = first if number == 1 else Figure(figsize=A4_IN)
            for y_in, line in page.lines:
                fig.text(
                    line.x_in / A4_IN[0],
                    1 - y_in / A4_IN[1],
                    line.text,
                    fontsize=line.size,
                    weight=line.weight,
                    color=line.colour,
                )
            _footer(fig, brief, number, total)
            pdf.savefig(fig)
    return buffer.getvalue()
