"""How search reads text: words, spelling variants, and the PostgreSQL configuration per language.

Shared by the database and Elasticsearch backends so a query means the same on both.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from modeltranslation.utils import build_localized_fieldname

#: A listing's languages (the buyer's interface ships fewer; a listing may be written in more).
LANGUAGES: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)
DEFAULT_LANGUAGE = "id"

#: PostgreSQL text-search configuration (and Elasticsearch analyzer) per listing language.
TEXT_CONFIGS: dict[str, str] = {
    "id": "indonesian",
    "en": "english",
    "de": "german",
    "nl": "dutch",
    "fr": "french",
}

#: Indonesian words with more than one accepted spelling. Only spellings: translations already
#: cover other languages, and synonyms would widen results in ways sellers cannot predict.
SPELLING_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"coklat", "cokelat"}),
    frozenset({"sambal", "sambel"}),
    frozenset({"serai", "sereh"}),
    frozenset({"kunyit", "kunir"}),
    frozenset({"arabika", "arabica"}),
    frozenset({"praline", "pralin"}),
)
_VARIANTS: dict[str, frozenset[str]] = {word: group for group in SPELLING_GROUPS for word in group}

#: Enough for any real query; bounds the size of the SQL and Elasticsearch queries a visitor
#: can make us build.
MAX_TERMS = 10
MAX_TERM_LENGTH = 40

_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents, so ``Röstung`` and ``rostung``, ``café`` and ``cafe`` meet."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def terms(text: str, limit: int | None = MAX_TERMS) -> list[str]:
    """The distinct words of ``text``, folded, in order; at most ``limit`` (a query's bound)."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(text)):
        seen[word[:MAX_TERM_LENGTH]] = None
        if limit is not None and len(seen) == limit:
            break
    return list(seen)


def variants(term: str) -> list[str]:
    """The term and its other accepted spellings (``coklat`` → ``coklat``, ``cokelat``)."""
    return [term, *sorted(_VARIANTS.get(term, frozenset()) - {term})]


def language_of(code: str | None) -> str:
    """A listing language for a buyer's language code (``de-AT`` → ``de``; unknown → Indonesian)."""
    base = (code or "").lower().replace("_", "-").split("-")[0]
    return base if base in TEXT_CONFIGS else DEFAULT_LANGUAGE


def column(name: str, language: str) -> str:
    """The model column of a translated field (``title``, ``id`` → ``title_ind``)."""
    return build_localized_fieldname(name, language)


def tsquery_source(words: list[str]) -> str:
    """A ``to_tsquery`` expression requiring every word, each in any of its spellings.

    ``words`` come from ``terms`` (letters and digits only), so nothing here can inject
    ``to_tsquery`` syntax.
    """
    parts = []
    for word in words:
        spellings = variants(word)
        parts.append(spellings[0] if len(spellings) == 1 else f"({' | '.join(spellings)})")
    return " & ".join(parts)
