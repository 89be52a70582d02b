"""A term's own words, matched against a contract's: spelling variants, word forms and synonyms.

A mandate says "licence", the contract "license"; the mandate "delete", the contract
"destroy or erase"; the mandate "voice cloning", the contract "synthesise a
performer's voice". Words are compared by a crude stem (enough for legal English,
where the same few hundred words recur) and through a small thesaurus of contract
synonyms. A sentence speaks to a term when it carries enough of the term's rarer
words (:class:`WordMatcher`), weighted by how rare each is in the document itself,
so "Licensee" and "Content", which are everywhere, count for little.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

STOPWORDS = frozenset(
    """a an and the of to in on for or by with as at from our we us is are be any per within after before their its it this that
    these those such all each every other than into onto upon under over about between who whom which what when where whether
    how has have had shall will may must can could would should not no nor do does did being been was were if then so
    party parties agreement hereunder herein thereof term terms clause section mandate collective trust our members's
    licensee licensor licence license licensed licensing company provider customer receiving disclosing some""".split()
)
# Words a contract uses for the same thing. Each group is one meaning; stems are matched.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("delete", "deletion", "destroy", "destruction", "erase", "erasure", "purge", "remove", "removal", "dispose"),
    ("return", "deliver back", "give back"),
    ("share", "disclose", "disclosure", "reveal", "divulge", "provide", "communicate", "furnish", "make available"),
    ("verbal", "verbally", "oral", "orally", "spoken"),
    ("employee", "staff", "personnel", "officer", "director", "representative"),
    ("advisor", "adviser", "consultant", "counsel", "attorney", "lawyer", "accountant", "auditor", "agent", "contractor"),
    ("copy", "copies", "reproduce", "reproduction", "duplicate"),
    ("train", "training", "pre-train", "pretrain", "learn"),
    ("redistribute", "redistribution", "distribute", "distribution", "resell", "resale", "sublicense", "sublicence", "onward"),
    ("attribution", "attribute", "credit", "acknowledge", "acknowledgement", "byline", "cite", "citation"),
    ("fee", "fees", "payment", "price", "consideration", "compensation", "remuneration", "charge"),
    ("notify", "notice", "notification", "inform", "advise", "alert"),
    ("solicit", "solicitation", "recruit", "hire", "employ", "poach", "induce"),
    ("reverse", "decompile", "disassemble"),
    ("independent", "independently", "separately"),
    ("survive", "survival", "continue", "remain in effect", "remain in force"),
    ("terminate", "termination", "expiry", "expiration", "expire", "end"),
    ("voice", "vocal", "singing", "singer", "performer"),
    ("clone", "cloning", "synthesis", "synthesise", "synthesize", "synthetic", "imitate", "replicate", "mimic", "deepfake"),
    ("patient", "clinical", "medical", "health"),
    ("identify", "identified", "mark", "marked", "label", "designate", "designated"),
    ("technical", "scientific", "engineering"),
    ("commercial", "commercially", "monetise", "monetize", "sell"),
    ("research", "academic", "non-commercial", "scientific"),
    ("reidentify", "re-identify", "re-identification", "reidentification", "de-anonymise", "deanonymize"),
    ("audit", "inspect", "inspection", "examine", "review"),
    ("opt-out", "opt out", "withdraw", "withdrawal", "exclude", "exclusion"),
    ("insurance", "insure", "insured"),
    ("publish", "publication", "publicise", "publicity", "announce", "press"),
    ("output", "outputs", "generated", "generation", "results"),
    ("model", "models", "weights", "system"),
)


def stem(word: str) -> str:
    """A crude stem: lower case, British and American spellings joined, common suffixes dropped."""
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s$", "", w)
    w = w.replace("licence", "license").replace("isation", "ization").replace("ise", "ize").replace("our", "or")
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ness", "ions", "ion", "als", "ies", "ied", "ed", "es", "al", "ly", "s", "e"):
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    return w[:7]


_GROUP: dict[str, int] = {}
for _i, _group in enumerate(SYNONYMS):
    for _w in _group:
        if " " not in _w:
            _GROUP.setdefault(stem(_w), _i)


def token_key(word: str) -> str:
    """The key a word is matched by: its synonym group if it has one, else its stem."""
    s = stem(word)
    group = _GROUP.get(s)
    return f"#{group}" if group is not None else s


WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]|[A-Za-z]")  # "voice-cloning" is two words, as "voice clone" is


def content_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 2]


@dataclass(frozen=True)
class Hit:
    score: float  # share of the term's word weight the sentence carries (0..1)
    matched: tuple[str, ...]  # the term's words found
    start: int  # where in the sentence the rarest matched word is
    end: int


class WordMatcher:
    """Scores sentences against a term's words, weighting each word by its rarity in the document.

    ``fit(sentences)`` learns the document's word frequencies (fitted state ``df_``, ``n_``);
    ``match(text)`` says how much of the term a sentence carries and where.
    """

    def __init__(self, words: str, extra: str = "") -> None:
        self.words = list(dict.fromkeys(content_words(words)))
        self.extra = [w for w in dict.fromkeys(content_words(extra)) if token_key(w) not in {token_key(x) for x in self.words}]
        self.keys = list(dict.fromkeys(token_key(w) for w in self.words))
        self.extra_keys = list(dict.fromkeys(token_key(w) for w in self.extra))

    def fit(self, texts: list[str]) -> "WordMatcher":
        df: Counter[str] = Counter()
        for t in texts:
            df.update({token_key(w) for w in WORD.findall(t)})
        self.df_, self.n_ = df, max(1, len(texts))
        return self

    def weight(self, key: str) -> float:
        df = getattr(self, "df_", Counter()).get(key, 0)
        return math.log((getattr(self, "n_", 1) + 1) / (df + 0.5))

    def match(self, text: str) -> Hit:
        positions: dict[str, tuple[int, int]] = {}
        for m in WORD.finditer(text):
            k = token_key(m.group())
            if (k in self.keys or k in self.extra_keys) and k not in positions:
                positions[k] = (m.start(), m.end())
        total = sum(max(0.1, self.weight(k)) for k in self.keys) or 1.0
        got = sum(max(0.1, self.weight(k)) for k in self.keys if k in positions)
        got += 0.25 * sum(max(0.1, self.weight(k)) for k in self.extra_keys if k in positions)
        matched = tuple(k for k in self.keys if k in positions)
        if not positions:
            return Hit(0.0, (), 0, 0)
        rarest = max(positions, key=lambda k: (k in self.keys, self.weight(k)))
        start, end = positions[rarest]
        return Hit(min(1.0, got / total), matched, start, end)


def variants(word: str) -> list[str]:
    """Stems of the word and of its synonyms, for a pattern that finds any of them."""
    group = _GROUP.get(stem(word))
    words = [word] if group is None else [w for w in SYNONYMS[group] if " " not in w] + [word]
    return list(dict.fromkeys(stem(w) for w in words))
