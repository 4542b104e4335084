"""Page state, declared once per parameter: its name in the URL, the widget that holds it, its type
and default, how a URL value is checked, and the one line a bad value gets.

A page lists its parameters as a :class:`PageState` and is then only layout:

    STATE = PageState("map", (choice("basemap", "map_basemap", BASEMAPS, DEFAULT_BASEMAP, …), …))
    STATE.load()        # a newly opened link sets the widgets (one warning per bad value)
    …widgets drawn with key=STATE.key("basemap")…
    STATE.save()        # the widgets write the URL back, defaults left out

The URL is the state: while the address bar holds what the page last wrote, the widgets are the
truth; when it changes (a link was opened, the back button pressed) the widgets are set from it.
A value the page cannot use is one ``st.warning`` line naming the parameter, the value and what is
used instead; the rest of the link still applies. :meth:`PageState.link` gives the parameters
another page's link carries, so a value travels with the selection (map → export → file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import streamlit as st

from geo.clock import plan_today
from geo.errors import DataError, GeoError
from geo.features import Selection, selection_from_params
from geo.progress import parse_as_of
from ui.common import remember_url, set_params, tr, url_changed, warn_bad_param


class Refused(ValueError):
    """A URL value a parameter cannot use: ``part`` is what is shown, ``kept`` what is used (None:
    the default); ``message``, when given, is the one line shown instead of the parameter's own."""

    def __init__(self, part: str, kept: Any = None, message: str | None = None):
        super().__init__(part)
        self.part, self.kept, self.message = part, kept, message


def _warn_default(param: UrlParam, value: str) -> None:
    warn_bad_param(param.name, value, param.fallback())


@dataclass(frozen=True)
class UrlParam:
    """One parameter of a page.

    ``parse`` turns the URL's text into the widget's value, raising :class:`Refused` (or a
    GeoError/ValueError) for a value it cannot use; ``text`` is the value as the URL writes it, ``""``
    for the default (then the parameter is left out); ``fallback`` says in the interface language
    what a bad value is replaced by; ``warn`` draws the one line (default: :func:`warn_bad_param`).
    ``spelled``: a URL text that reads as the widget's value is kept as the user wrote it (``大竹县``
    and ``511724`` name the same unit) instead of being rewritten by ``text``.
    """

    name: str
    key: str
    parse: Callable[[str], Any]
    default: Callable[[], Any]
    text: Callable[[Any], str]
    fallback: Callable[[], str]
    warn: Callable[[UrlParam, str], None] = field(default=_warn_default)
    spelled: bool = False

    def from_url(self, raw: str | None) -> Any:
        """The widget value for the URL's text (absent or blank: the default)."""
        text = "" if raw is None else str(raw).strip()
        if not text:
            return self.default()
        try:
            return self.parse(text)
        except DataError:
            raise  # a damaged data file is the app's message, not a bad link
        except Refused as exc:
            if exc.message:
                st.warning(exc.message, icon=":material/warning:")
            else:
                self.warn(self, exc.part)
            return self.default() if exc.kept is None else exc.kept
        except (GeoError, ValueError):
            self.warn(self, text)
            return self.default()

    def url_text(self, value: Any, current: str | None = None) -> str:
        """The value as the URL writes it; with :attr:`spelled`, ``current`` (the URL's text now)
        when it reads as the same value."""
        if value is None:
            return ""
        if self.spelled and current and current.strip():
            try:
                if self.parse(current.strip()) == value:
                    return current.strip()
            except DataError:
                raise
            except (GeoError, ValueError):
                pass
        return self.text(value)


@dataclass(frozen=True)
class PageState:
    """A page's parameters, read from the URL and written back to it."""

    page: str
    params: tuple[UrlParam, ...]

    def __getitem__(self, name: str) -> UrlParam:
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(name)

    def key(self, name: str) -> str:
        """The widget key of a parameter."""
        return self[name].key

    def value(self, name: str) -> Any:
        """What the widget of a parameter holds now."""
        param = self[name]
        return st.session_state.get(param.key, param.default())

    def given(self, name: str) -> bool:
        """Whether the URL names the parameter (for a default that follows the rest of the link)."""
        return bool(str(st.query_params.get(self[name].name) or "").strip())

    def load(self) -> bool:
        """Set every widget from the URL when a new link was opened; True when it was. Otherwise
        only widgets without a value are set (Streamlit forgets a widget's value while its page is
        not shown), from the URL, which then holds what the page last wrote."""
        changed = url_changed(self.page)
        for param in self.params:
            if changed or param.key not in st.session_state:
                st.session_state[param.key] = param.from_url(st.query_params.get(param.name))
        return changed

    def link(self, *names: str) -> dict[str, str]:
        """The URL texts of the named parameters (all when none named), defaults left out: what a
        link to another page carries of this page's state."""
        chosen = [self[name] for name in names] if names else self.params
        texts = {param.name: param.url_text(self.value(param.name)) for param in chosen}
        return {name: text for name, text in texts.items() if text}

    def save(self, **texts: str) -> None:
        """Write the widgets' values to the URL (``texts`` override a parameter's text, for a value
        the page has checked itself) and remember it as this page's own."""
        written = {
            param.name: param.url_text(self.value(param.name), st.query_params.get(param.name))
            for param in self.params
        }
        set_params(**(written | texts))
        remember_url(self.page)


# -- kinds of parameter ----------------------------------------------------------------------------
def choice(
    name: str,
    key: str,
    options: Callable[[], Iterable[str]],
    default: str,
    fallback: Callable[[], str],
    *,
    normalise: Callable[[str], str] = str,
) -> UrlParam:
    """One of ``options`` (a radio, a select box); the default is left out of the URL."""

    def parse(text: str) -> str:
        value = normalise(text)
        if value not in set(options()):
            raise Refused(text)
        return value

    return UrlParam(name, key, parse, lambda: default, lambda v: "" if v == default else str(v), fallback)


def checked(
    name: str, key: str, check: Callable[[str], Any], default: Any, fallback: Callable[[], str]
) -> UrlParam:
    """A value ``check`` accepts (it raises GeoError or ValueError otherwise)."""
    return UrlParam(name, key, check, lambda: default, lambda v: "" if v == default else str(v), fallback)


def flag(name: str, key: str, *, default: bool = True) -> UrlParam:
    """A toggle: written only when off (``0``); ``0``, ``no`` or ``false`` turn it off."""

    def parse(text: str) -> bool:
        return text.lower() not in ("0", "no", "false")

    return UrlParam(
        name,
        key,
        parse,
        lambda: default,
        lambda v: "" if bool(v) == default else ("1" if v else "0"),
        lambda: tr("开", "on") if default else tr("关", "off"),
    )


def day(name: str, key: str, *, earliest: date) -> UrlParam:
    """A day ``YYYY-MM-DD`` from ``earliest`` to today (the plan's clock); today is left out of the
    URL, so a link without it stays current."""

    def parse(text: str) -> date:
        return max(parse_as_of(text), earliest)

    return UrlParam(
        name,
        key,
        parse,
        plan_today,
        lambda v: "" if v == plan_today() else v.isoformat(),
        lambda: tr("今天", "today"),
    )


def text(name: str, key: str) -> UrlParam:
    """Free text (a search), stripped."""
    return UrlParam(name, key, str.strip, lambda: "", lambda v: str(v).strip(), lambda: "")


# -- the selection the map and export pages share --------------------------------------------------
_SELECTION_FIELDS = {
    "layers": "layers",
    "status": "statuses",
    "province": "provinces",
    "chapter": "chapters",
    "task": "tasks",
}


def _warn_everything(param: UrlParam, value: str) -> None:
    warn_bad_param(param.name, value, tr("全部", "all"))


def _selection_list(name: str, key: str, every: Callable[[], list] | None) -> UrlParam:
    """A list of the selection (``?status=开工建设,在建``): items read as
    :func:`geo.features.selection_from_params` reads them; the items not understood are one warning
    and the others kept. ``every``: the widget holds every choice when the URL names none (and all
    chosen is written as none)."""

    def parse(raw: str) -> list:
        selection, bad = selection_from_params({name: raw})
        values = list(getattr(selection, _SELECTION_FIELDS[name]))
        if bad:
            raise Refused(",".join(value for _, value in bad), values or None)
        return values

    def written(values: list) -> str:
        if every is not None and set(values) == set(every()):
            return ""
        return ",".join(str(v) for v in values)

    default = every or list
    return UrlParam(name, key, parse, default, written, lambda: tr("全部", "all"), _warn_everything)


def selection_params(prefix: str, *, every_layer: Callable[[], list] | None = None) -> tuple[UrlParam, ...]:
    """The selection's parameters with the widget keys ``<prefix>_layers``, ``<prefix>_status`` …;
    ``every_layer``: the layers widget holds every layer when the link names none (the map)."""
    lists = tuple(
        _selection_list(name, f"{prefix}_{name}", every_layer if name == "layers" else None)
        for name in _SELECTION_FIELDS
    )
    return (*lists, text("q", f"{prefix}_query"))


def selection_of(state: PageState, place: str | None = None) -> Selection:
    """The selection a page's widgets hold (``place``: an adcode the page resolved itself)."""
    return Selection(
        layers=tuple(state.value("layers")),
        statuses=tuple(state.value("status")),
        provinces=tuple(state.value("province")),
        chapters=tuple(state.value("chapter")),
        tasks=tuple(state.value("task")),
        query=state.value("q"),
        place=place,
    )
