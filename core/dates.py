"""Parsing dates as inputs write them: as stated (the publisher's own day) and as aware UTC
datetimes (the instant)."""
from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import re
import time
from typing import Optional

from dateutil import parser as dateutil_parser

UTC = dt.timezone.utc


def to_utc(value: dt.datetime) -> dt.datetime:
    """Aware UTC; a naive value is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_datetime(value) -> Optional[dt.datetime]:
    """ISO 8601, RFC 822 or any common written form, in UTC; None when it is not a date."""
    stated = parse_stated(value)
    return to_utc(stated) if stated else None


def parse_stated(value) -> Optional[dt.datetime]:
    """The date and time as written, its offset kept (naive when none is written), so that
    its ``date()`` is the day the writer states: 2020-05-04T04:25:13+07:00 is 4 May, though
    it is 3 May in UTC. Epoch numbers are UTC. None when it is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)):
        # Epoch seconds, or milliseconds as JavaScript exports write them.
        seconds = value / 1000 if value > 1e11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return dateutil_parser.parse(text)
    except (ValueError, OverflowError, TypeError):
        return None


def states_own_offset(value: dt.datetime) -> bool:
    """Whether a stated time carries a zone other than UTC: its day is then the publisher's
    local day by construction, not a conversion."""
    offset = value.utcoffset()
    return offset is not None and offset != dt.timedelta(0)


def from_struct_time(value: Optional[time.struct_time]) -> Optional[dt.datetime]:
    """feedparser's parsed dates (struct_time in UTC)."""
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def as_stated(written, instant: Optional[dt.datetime]) -> Optional[dt.datetime]:
    """A feed's time in the zone it was written in, when the written text parses to the
    very instant the feed parser found (which gives UTC only); else that instant."""
    try:
        stated = parse_stated(written)
    except (ValueError, OverflowError):
        return instant
    if stated is not None and stated.tzinfo is not None and instant is not None and \
            stated == instant:
        return stated
    return instant


def plausible_publication(value: Optional[dt.datetime],
                          ingested_at: dt.datetime) -> Optional[dt.datetime]:
    """A publication time, or None if it is in the future or before the web news era."""
    if value is None or value > ingested_at or value.year < 1990:
        return None
    return value


# The furthest ahead of UTC any place's clock runs (Kiribati, UTC+14).
_LATEST_CLOCK = dt.timedelta(hours=14)


def latest_day(ingested_at: dt.datetime) -> dt.date:
    """The latest day any publisher's calendar shows at ingestion: a stated day after it is
    in the future everywhere."""
    return (to_utc(ingested_at) + _LATEST_CLOCK).date()


def plausible_day(day: Optional[dt.date], ingested_at: dt.datetime) -> Optional[dt.date]:
    """A stated publication day, or None if it is in the future everywhere on earth or
    before the web news era."""
    if day is None or day > latest_day(ingested_at) or day.year < 1990:
        return None
    return day


_MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
    ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), start=1) for name in names}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATELINE = (
    re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", re.IGNORECASE),
    re.compile(r"\b(\d{1,2})\s+" + _MONTH + r"(?:,?\s+(\d{4}))?\b", re.IGNORECASE),
)
_DATELINE_CHARS = 200


def dateline_date(text: str, ingested_at: dt.datetime) -> Optional[dt.datetime]:
    """The date in a story's dateline ("KANO, Nigeria, Nov 21 (Meridian) -").

    A dateline without a year is taken as the latest such day on or before the
    ingestion date. Returns midnight UTC of that day.
    """
    head = text[:_DATELINE_CHARS]
    found = []
    for order, pattern in enumerate(_DATELINE):
        for m in pattern.finditer(head):
            month, day = (m.group(1), m.group(2)) if order == 0 else (m.group(2), m.group(1))
            found.append((m.start(), _MONTHS[month.lower()], int(day), m.group(3)))
    for _, month, day, year in sorted(found):
        years = [int(year)] if year else [ingested_at.year, ingested_at.year - 1]
        for y in years:
            try:
                value = dt.datetime(y, month, day, tzinfo=UTC)
            except ValueError:
                break
            if value <= ingested_at:
                return value
    return None


_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3,
                 "few": 3, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
                 "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
                 "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                 "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "many": 3}
_NUMBER = "(?:" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_AGO = re.compile(r"\b(\d+|" + _NUMBER + "(?:-" + _NUMBER + r")?)"
                  r"\s+(day|week|month|year|decade)s?\s+ago\b", re.IGNORECASE)
_LAST = re.compile(r"\blast\s+(week|month|year)\b", re.IGNORECASE)
_YEAR = re.compile(
    r"\b(?:(?:in|since|during|by|of|from|until|till|before|after)\s+"
    r"(?:(?:early|late|mid|the\s+(?:summer|spring|autumn|winter)\s+of)\s*-?\s*)?|"
    + _MONTH + r"\s+(?:\d{1,2},?\s+)?)((?:19|20)\d{2})\b", re.IGNORECASE)
_DECADE = re.compile(r"\b((?:19|20)\d0)s\b")
_BACKGROUND_WORDS = re.compile(
    r"\b(?:decades?|centuries|century|generations?)\s+(?:ago|earlier|before)\b|"
    r"\banniversary\b|\bin\s+the\s+(?:early|late|mid)?\s*(?:19|20)?\d0s\b|"
    r"\bsince\s+the\s+(?:war|conflict|civil\s+war|uprising|revolution|invasion|coup)"
    r"\s+(?:began|started|erupted|broke\s+out)\b", re.IGNORECASE)
_IN_MONTH = re.compile(r"\b(?:in|since|during|last)\s+" + _MONTH + r"(?!\s*\d)", re.IGNORECASE)


def is_background(clause: str, reference: dt.date, months: bool = False) -> bool:
    """Whether a clause tells of something long past ("in 2019", "13 years ago",
    "last year", "in the 1990s", "in August 2021"): background, not news of the day.
    With ``months``, for background clauses ("soldiers detained in September"), a bare
    month two or more months before the reference also counts."""
    ago = _AGO.search(clause)
    if ago and ago.group(2).lower() in ("month", "year", "decade"):
        return True
    last = _LAST.search(clause)
    if last and last.group(1).lower() == "year":
        return True
    if _BACKGROUND_WORDS.search(clause):
        return True
    if any(int(decade) + 10 <= reference.year for decade in _DECADE.findall(clause)):
        return True  # "during the 1990s siege"
    if any(int(year) < reference.year for year in
           (m.group(m.lastindex) for m in _YEAR.finditer(clause))):
        return True
    if months:
        for m in _IN_MONTH.finditer(clause):
            month = _MONTHS[m.group(1).lower()]
            if (reference.month - month) % 12 >= 2:
                return True
    return False


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TIME_WORDS = frozenset((*_WEEKDAYS, *_MONTHS, "yesterday", "today", "tonight"))
_RELATIVE_DAY = re.compile(
    r"\b(?:(?:on|late on|early on|since|by|last)\s+)?(" + "|".join(_WEEKDAYS) +
    r")\b|\b(yesterday|today|tonight|overnight|this morning|last night)\b",
    re.IGNORECASE)
_OFFSETS = {"yesterday": -1, "last night": -1, "overnight": 0, "today": 0, "tonight": 0,
            "this morning": 0}


def day_in_sentence(sentence: str, reference: dt.date) -> Optional[dt.date]:
    """The day a sentence says its event happened, relative to the publication day.

    Weekdays are the latest such day on or before the reference ("on Saturday" in a
    Saturday story is that day); "November 27" and "27 November" are taken in the
    reference's year unless that would be after it.
    """
    for pattern_order, pattern in enumerate(_DATELINE):
        m = pattern.search(sentence)
        if m:
            month, day = (m.group(1), m.group(2)) if pattern_order == 0 else (m.group(2),
                                                                             m.group(1))
            year = int(m.group(3)) if m.group(3) else reference.year
            try:
                found = dt.date(year, _MONTHS[month.lower()], int(day))
            except ValueError:
                continue
            if found > reference and not m.group(3):
                try:
                    found = found.replace(year=year - 1)
                except ValueError:  # 29 February
                    continue
            return found
    ago = _AGO.search(sentence)
    if ago and ago.group(2).lower() in ("day", "week"):
        count = int(ago.group(1)) if ago.group(1).isdigit() else sum(
            _NUMBER_WORDS[part] for part in ago.group(1).lower().split("-"))
        return reference - dt.timedelta(days=count * (7 if ago.group(2).lower() == "week"
                                                      else 1))
    last = _LAST.search(sentence)
    if last and last.group(1).lower() == "week":
        return reference - dt.timedelta(days=7)
    m = _RELATIVE_DAY.search(sentence)
    if not m:
        return None
    if m.group(1):
        back = (reference.weekday() - _WEEKDAYS.index(m.group(1).lower())) % 7
        return reference - dt.timedelta(days=back)
    return reference + dt.timedelta(days=_OFFSETS[m.group(2).lower()])


_WRITTEN_MONTHS = {
    **_MONTHS,
    # Spanish, Portuguese, French, German, Italian
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12, "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6,
    "julho": 7, "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12, "januar": 1, "februar": 2, "märz": 3, "juni": 6,
    "juli": 7, "oktober": 10, "dezember": 12, "gennaio": 1, "febbraio": 2, "aprile": 4,
    "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9, "ottobre": 10, "dicembre": 12,
}
_MONTH_WORD = "(" + "|".join(sorted(_WRITTEN_MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = (r"(?:[\s,]*(?:at|à|a las|às|um|-|–|—)?\s*(\d{1,2})[:h.](\d{2})\s*(am|pm|a\.m\.|p\.m\.)?"
         r"(?:\s*(?:(?:GMT|UTC)\s*([+-]\d{1,2})(?::?(\d{2}))?|([+-]\d{2}):?(\d{2})))?)?")
_WRITTEN = (
    # 19 November 2026, 14:05 GMT+3 / 19 de noviembre de 2026 - 14:05 / 19 novembre 2026 à 14h05
    re.compile(r"\b(\d{1,2})\.?\s+(?:de\s+)?" + _MONTH_WORD + r"\s+(?:de\s+)?(\d{4})" + _TIME,
               re.IGNORECASE),
    # November 20, 2026 2:15 AM
    re.compile(r"\b" + _MONTH_WORD + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME,
               re.IGNORECASE),
)


def written_date(text: str) -> Optional[dt.datetime]:
    """A date written in words, as bylines do, as stated: with its time and zone if given
    (naive if not): "Published 19 November 2026, 14:05 GMT+3", "19 de noviembre de 2026 -
    14:05"."""
    for order, pattern in enumerate(_WRITTEN):
        match = pattern.search(text or "")
        if not match:
            continue
        groups = match.groups()
        day, month, year = (groups[0], groups[1], groups[2]) if order == 0 else \
            (groups[1], groups[0], groups[2])
        hour, minute, meridiem, gmt_h, gmt_m, off_h, off_m = groups[3:10]
        try:
            value = dt.datetime(int(year), _WRITTEN_MONTHS[month.lower()], int(day))
        except (ValueError, KeyError):
            continue
        if hour:
            hour_value = int(hour) % 12 + (12 if meridiem and meridiem[0].lower() == "p"
                                           else 0) if meridiem else int(hour)
            value = value.replace(hour=min(hour_value, 23), minute=int(minute))
        offset_hours, offset_minutes = (gmt_h, gmt_m) if gmt_h else (off_h, off_m)
        if offset_hours:
            sign = -1 if offset_hours.startswith("-") else 1
            offset = dt.timedelta(hours=abs(int(offset_hours)),
                                  minutes=int(offset_minutes or 0))
            return value.replace(tzinfo=dt.timezone(sign * offset))
        return value
    return None


def day_written_in(text: str, day: dt.date) -> bool:
    """Whether a text writes out this very day (2026-11-01, 01.11.2026, 1/11/2026, 11/1/2026,
    1 November 2026, November 1st, 2026, 1. November 2026, 1 de noviembre de 2026)."""
    months = "|".join(name for name, number in _WRITTEN_MONTHS.items() if number == day.month)
    d, m, y = day.day, day.month, day.year
    # digits bound the forms, not word boundaries: a page's text runs elements together
    pattern = (rf"(?<!\d)(?:{y}-{m:02d}-{d:02d}|0?{d}[./]\s?0?{m}[./]\s?{y}|0?{m}/0?{d}/{y}|"
               rf"0?{d}(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?(?:{months})\.?,?\s+(?:de\s+)?{y}|"
               rf"(?<!\w)(?:{months})\.?\s+0?{d}(?:st|nd|rd|th)?,?\s+{y})(?!\d)")
    return re.search(pattern, text, re.IGNORECASE) is not None


_NUMERIC_DAY = re.compile(
    r"(?<![\d.,/-])(?:((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})|"
    r"(\d{1,2})([./-])\s?(\d{1,2})\5\s?((?:19|20)\d{2}))(?![\d/-]|\.\d|T\d)")
# Words before a day that is not the story's: an update's, a member's joining day.
_OTHER_DAY_WORDS = re.compile(
    r"(?:updated?|modified|edited|aktualisiert|geändert|bearbeitet|modifié|mis à jour|"
    r"actualizad[oa]|modificad[oa]|atualizad[oa]|aggiornat[oa]|zuletzt|joined|registered|"
    r"member since|mitglied seit|dabei seit|inscrit)\W{0,3}(?:\w+\W+)?$", re.IGNORECASE)


def first_day_written(text: str, before: str = "") -> Optional[dt.date]:
    """The first day a short text writes out in full, as pages show their date near the
    headline: 2026-11-19, 19.11.2026, 19/11/2026 (11/19/2026 where the day tells which is
    which; 11/10/2026, either way, is no day), 19 November 2026, November 19, 2026,
    19 de noviembre de 2026. Not a day written as an update's ("Updated: 2026-11-20") or a
    member's joining day; ``before``: the text just before, where such words may stand."""
    found = []
    for match in _NUMERIC_DAY.finditer(text):
        if match.group(1):
            numbers = [(int(match.group(1)), int(match.group(2)), int(match.group(3)))]
        else:
            first, second, year = int(match.group(4)), int(match.group(6)), int(match.group(7))
            if match.group(5) == "." or first > 12:
                numbers = [(year, second, first)]
            elif second > 12:
                numbers = [(year, first, second)]
            else:
                numbers = [] if first != second else [(year, first, first)]
        for year, month, day in numbers:
            found.append((match.start(), year, month, day))
    for order, pattern in enumerate(_WRITTEN):
        for match in pattern.finditer(text):
            day, month = (match.group(1), match.group(2)) if order == 0 else \
                (match.group(2), match.group(1))
            found.append((match.start(), int(match.group(3)),
                          _WRITTEN_MONTHS[month.lower()], int(day)))
    for start, year, month, day in sorted(found):
        if _OTHER_DAY_WORDS.search((before + " " + text[:start])[-30:]):
            continue
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None
