"""Names of people, targets and units, made comparable: one spelling for one name.

A name typed with a zero-width space, a bidi mark or a Kangxi radical (⽊ for 木) looks the same
as the plain one and would make a second 林书记 on the roster. Every write path (roster services,
Excel import, the command line through the services) and every look-up passes names through here:
NFKC folds compatibility forms (full-width digits and letters, radicals; parentheses are kept
full-width, as Chinese writes them), invisible format characters are dropped, runs of spaces become one;
control characters (tabs, newlines, DEL, C1, the line and paragraph separators) are refused.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import BadInput

#: Characters that print as nothing: zero-width space/joiners, bidi marks and embeddings, word
#: joiner and invisible operators, BOM, soft hyphen, variation selectors, Hangul fillers.
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
                       "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")
#: Refused outright: C0 controls (tab, newline…), DEL, C1 controls, line/paragraph separators.
FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
SPACES = re.compile(r"\s+")
#: NFKC makes full-width （） half-width; Chinese names write them full-width (林书记（机电）).
PARENS = str.maketrans("()", "（）")


def normalise_name(text: str) -> str:
    """The one spelling of a name (no checks: for look-ups)."""
    text = INVISIBLE.sub("", unicodedata.normalize("NFKC", text or "")).translate(PARENS)
    return SPACES.sub(" ", text).strip()


def name_problem(text: str, what: str, limit: int, required: bool = False) -> str | None:
    """Why a name cannot be taken (Chinese), or None."""
    raw = (text or "").strip()
    if FORBIDDEN.search(raw):
        return f"{what}含有换行、制表符或其他控制字符"
    name = normalise_name(raw)
    if required and not name:
        return f"{what}不能为空" if not raw else f"{what}只有不可见的字符"
    if len(name) > limit:
        return f"{what}过长（{len(name)} 字，最多 {limit} 字）"
    return None


def clean_name(text: str | None, what: str, limit: int, required: bool = False) -> str:
    """A name fit to store, or BadInput naming what is wrong."""
    problem = name_problem(text or "", what, limit, required)
    if problem:
        raise BadInput(problem)
    return normalise_name(text or "")
