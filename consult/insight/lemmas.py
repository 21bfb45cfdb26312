"""Words as a topic model wants them: each comment's language, its lemmas, no stop words.

Spanish and English only, offline: ``simplemma`` both lemmatises and detects the language
(its ``langdetect`` scores a text against each language's lemma lists), so no second
library (such as lingua) or model download is needed. Accents are kept until lemmatisation, because
simplemma's Spanish lists are written with them ("política", not "politica").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import simplemma
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

#: The languages consult reads; anything else is read as the first one.
LANGUAGES = ("es", "en")

#: Words (letters only, with an inner apostrophe): numbers and punctuation carry no theme.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _listed(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Spanish function words, and the verbs and fillers every comment uses whatever it says.
SPANISH_STOP_WORDS = _listed(
    """
    a al algo algún alguna algunas alguno algunos ante antes aquel aquella aquellas aquello
    aquellos aquí así aun aún bajo bien cada casi como cómo con contra cual cuál cuales
    cualquier cuando cuándo cuanto cuánto de del desde donde dónde dos durante e el él ella
    ellas ello ellos en entre era eran es esa esas ese eso esos esta está están estas este
    esto estos fue fueron gran ha hace hacia han hasta hay la las le les lo los más me mi
    mis mismo mucho muchos muy nada ni no nos nosotros nuestra nuestras nuestro nuestros o
    otra otras otro otros para pero poco por porque puede pueden que qué quien quién quienes
    se sea según ser si sí sido sin sino sobre su sus también tan tanto te tiene tienen
    todo todos toda todas tras tu tus u un una unas uno unos usted ustedes y ya yo vez veces
    estar haber tener hacer poder deber ir decir dar ver querer parecer creer considerar
    pensar existir lograr seguir llevar quedar poner pasar saber mayor mejor menos solo sólo
    además embargo mientras entonces luego través cual cuyo cuya etc ejemplo caso forma
    manera parte tipo cosa mismo misma propio propia dicho dicha esto importante necesario
    actual actualmente realmente general sector tema punto aspecto nivel él
    """
)

#: sklearn's English list, and the same kind of fillers.
ENGLISH_STOP_WORDS_ALL = frozenset(ENGLISH_STOP_WORDS) | _listed(
    """
    need needs think believe important way also really just make use like would could
    should must lot thing things example etc
    """
)

STOP_WORDS = {"es": SPANISH_STOP_WORDS, "en": ENGLISH_STOP_WORDS_ALL}


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, accents kept."""
    return _WORD.findall(text.lower())


#: Words only one of the languages uses, and often: a text full of one's is that language.
_FUNCTION_WORDS = {
    "es": _listed("de la que el en los las del se por con para una es su al lo más pero"),
    "en": _listed("the of and to in is that for it with on are be this as we our not"),
}


def language(text: str) -> str:
    """ "es" or "en" for a text.

    A text with clearly more of one language's function words is that language (most
    comments, in microseconds); otherwise simplemma's ``langdetect`` decides, which
    scores the text against each language's lemma lists (a millisecond per text).
    """
    tokens = words(text)
    es = sum(1 for w in tokens if w in _FUNCTION_WORDS["es"])
    en = sum(1 for w in tokens if w in _FUNCTION_WORDS["en"])
    if es >= 2 * en + 2:
        return "es"
    if en >= 2 * es + 2:
        return "en"
    scores = simplemma.langdetect(text, lang=LANGUAGES)
    best, score = scores[0]
    return best if best in LANGUAGES and score > 0 else LANGUAGES[0]


def lemma(word: str, lang: str) -> str:
    """A word's dictionary form in its language (the word itself when unknown)."""
    return simplemma.lemmatize(word, lang=lang).lower()


#: Per language, each word seen → its content lemma, or "" for a stop word (a cache: a
#: consultation's comments use a few thousand words many times over).
_CONTENT: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}


def _content(word: str, lang: str) -> str:
    stop = STOP_WORDS[lang]
    if len(word) < 3 or word in stop:
        return ""
    base = lemma(word, lang)
    return base if len(base) >= 3 and base not in stop else ""


def lemmas(text: str, lang: str | None = None) -> list[str]:
    """The content lemmas of a text, in order: stop words and one-letter words left out."""
    lang = lang if lang in LANGUAGES else language(text)
    known = _CONTENT[lang]
    if len(known) > 500_000:  # bounded, whatever the texts
        known.clear()
    kept = []
    for word in words(text):
        base = known.get(word)
        if base is None:
            base = known[word] = _content(word, lang)
        if base:
            kept.append(base)
    return kept


#: Where a sentence or clause ends: a two-word phrase never spans one.
_BREAK = re.compile(r"[.;:!?¡¿()\[\]\n]+")
#: What separates the sentences of a lemmatised text.
SENTENCE_BREAK = " | "


def sentences(text: str, lang: str | None = None) -> list[tuple[list[str], list[tuple[int, str]]]]:
    """Each sentence of a text as its words (lower-cased, accents kept) and, in order, the
    position and lemma of each content word: what ``lemmatised`` keeps, with the words it
    came from, so a lemma or a phrase can be shown as people wrote it."""
    lang = lang if lang in LANGUAGES else language(text)
    known = _CONTENT[lang]
    found = []
    for part in _BREAK.split(text):
        said = words(part)
        kept = []
        for position, word in enumerate(said):
            base = known.get(word)
            if base is None:
                base = known[word] = _content(word, lang)
            if base:
                kept.append((position, base))
        if kept:
            found.append((said, kept))
    return found


def lemmatised(texts: Iterable[str]) -> list[str]:
    """Each text as its lemmas joined by spaces, sentences apart (``SENTENCE_BREAK``);
    equal texts are worked out once."""
    done: dict[str, str] = {}
    out = []
    for text in texts:
        if text not in done:
            lang = language(text)
            parts = (" ".join(lemmas(part, lang)) for part in _BREAK.split(text))
            done[text] = SENTENCE_BREAK.join(part for part in parts if part)
        out.append(done[text])
    return out
