"""Text normalisation shared by writes and searches, so both databases give the same answers."""

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
