"""The project's one clock: "today" is a day in the plan's time zone, Asia/Shanghai.

The plan is Chongqing's and Sichuan's, so the day an event may not be later than, the default
``as_of`` of a map, a file or a brief, and the date in an export's file name are all days of China
Standard Time, whatever zone the server runs in. A server in UTC would otherwise still be on
yesterday until 08:00 in Chengdu, and two parts of the app could disagree on which day it is.
Instants (when an event was recorded, when an editor was added) stay UTC timestamps.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

PLAN_TIMEZONE = ZoneInfo("Asia/Shanghai")


def plan_today(now: datetime | None = None) -> date:
    """The date in the plan's time zone.

    Parameters
    ----------
    now
        An instant (timezone-aware; a naive one is taken as UTC); default the current instant.

    Returns
    -------
    date
        The calendar day in Asia/Shanghai at that instant.
    """
    if now is None:
        return datetime.now(PLAN_TIMEZONE).date()
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo("UTC"))
    return now.astimezone(PLAN_TIMEZONE).date()
