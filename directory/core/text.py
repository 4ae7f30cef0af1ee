"""Text normalisation shared by writes and searches, so both databases give the same answers;
and the short public form of a person's name."""

import unicodedata


def fold(text: str | None) -> str:
    """Lower-case, accent-free, single-spaced: 'Séance  Élan' -> 'seance elan'."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def escape_like(term: str) -> str:
    """Escape LIKE wildcards in user input (used with escape='\\')."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


PUBLIC_FIRST_NAME_LENGTH = 40  # room for the initial: author names are at most 80 characters
ANONYMOUS = "A client"


def public_name(full_name: str) -> str:
    """'Claire Fontaine' -> 'Claire F.': enough to be real, not enough to be found.

    Any name gives a short, printable form: invisible and control characters (bidi overrides,
    zero-width joiners) are dropped, a blank name gives "A client", a long one is cut.
    """
    visible = "".join(
        char for char in full_name if unicodedata.category(char) not in ("Cc", "Cf", "Co", "Cs")
    )
    words = visible.split()
    if not words:
        return ANONYMOUS
    first = words[0][:PUBLIC_FIRST_NAME_LENGTH]
    return f"{first} {words[-1][0].upper()}." if len(words) > 1 else first
