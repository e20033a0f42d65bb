"""The diacritic restorer: candidates per token, LM decoding, casing, changes with confidence."""

from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..text import apply_case, case_in_context, int_to_roman, is_syllable, roman_to_int
from .channel import load_default_channel
from .decoder import BEAM, Segment, Slot, decode, local_posteriors
from .lexicon import PairBonus
from .lm import BOS, DEFAULT_GENERAL_MODEL, DEFAULT_MODEL, NUM, SENTENCE_OPENERS, UNK, NgramLM
from .mixture import MixtureLM, admin_share
from .vietnamese import (has_diacritics, has_vietnamese_vowels, is_well_formed, is_word, rhyme,
                         skeleton, tokenize)

MODES = ("auto", "stripped", "legacy", "ocr")

#: At most this many restoration candidates per skeleton (the most frequent ones).
MAX_CANDIDATES = 12
#: A candidate must have been seen this often in the corpus.
MIN_CANDIDATE_COUNT = 2
#: ocr mode: -ln cost of replacing a valid syllable by another (the LM must beat it clearly).
OCR_CHANGE_COST = 9.0
#: ocr mode: cost of replacing a token that is not a known syllable.
OCR_INVALID_CHANGE_COST = 1.0
#: ocr mode: cost of replacing an unknown token that carries marks, is a well-formed
#: syllable and has a rhyme the known syllables share ("áo pắn": a word of a minority
#: language, a rare name): marks placed the way Vietnamese places them are evidence that the
#: text was written that way. (An unknown word already costs the LM much, measured in
#: docs/normalize.md, so only a strong preference of the LM still changes it.)
OCR_UNKNOWN_MARKED_COST = 12.0
#: Known syllables that must share a rhyme before an unknown word with it counts as
#: spelt like Vietnamese.
RHYME_MIN_SYLLABLES = 3
#: ocr mode, general-language documents (decoded by the mixture): extra cost of changing a
#: capitalised word inside a sentence. There it is mostly a name of a person, a work or a
#: foreign place ("Đại Tấn"), which the pruned general model knows least; administrative
#: documents keep the case model alone (a capitalised "Băng khen" is "Bằng khen").
OCR_NAME_CHANGE_COST = 3.0
#: Weight of the case channel -ln P(capital or not | word) inside a sentence.
CASE_WEIGHT = 1.0
#: Document cache (see Restorer._apply_document_cache): weight of its cost, weight of a
#: syllable's count anywhere against its count next to the same neighbours, and the prior
#: count every candidate starts with. Tuned on a held-out slice of corpus documents.
DOC_CACHE_WEIGHT = 1.25
DOC_CACHE_UNIGRAM = 0.2
DOC_CACHE_PRIOR = 0.5
#: Modes the cache applies to ("ocr" stays conservative: it changes only what the LM alone
#: strongly prefers).
DOC_CACHE_MODES = ("stripped", "legacy")
#: Free slots on each side of a slot the cache may change, when decoding again.
CACHE_WINDOW = 3
#: A slot is decoded again only when the cache favours another candidate over the first
#: choice by more than this (nats): smaller pulls hardly ever overturn the LM.
CACHE_MIN_GAIN = 0.5
#: Beam of that second decoding (short windows in a fixed context need less).
CACHE_BEAM = 12
#: Beam of legacy mode: its slots hold many more candidates (up to MAX_CANDIDATES of the
#: channel and their skeleton siblings) than a stripped word's, and the decoder's beam of 12
#: drops the right path more often (search errors, not model errors).
LEGACY_BEAM = 32
#: A document is decoded again with the mixture of the administrative and the general model
#: (normalize.mixture) when the administrative model's estimated share of its first reading
#: is below this; above it the administrative model alone decides.
ADMIN_ONLY_SHARE = 0.5
#: legacy mode: extra cost of reading a lone capital that is not a word by its position as
#: the syllable the channel lists for it ("S Nội vụ" = "Sở Nội vụ"); 0 keeps it always.
LEGACY_LONE_CAPITAL_COST = 2.0
#: legacy mode: symbols an English model writes for a whole one-letter syllable when they
#: stand alone between words ("làm việc @ nước ngoài"); read like a number that may be a word
#: (channel.LegacyChannel.number_slot). Not "¢": the index lists only the fragment "ợc" for
#: it, which cost 4 errors on the held-out legacy pages.
LEGACY_SYMBOL_WORDS = frozenset("@")
#: Modes in which list markers follow the Vietnamese alphabet (a b c d đ e).
_LIST_MODES = ("stripped", "legacy")
#: legacy mode: characters an English model writes for a syllable's horn or hook mark, split
#: from the word ("st? dung", "tt’ nguồn" for "sử dụng", "từ nguồn"). Glued to the end of a
#: word and followed by a space and a lower-case word, such a character is part of that word,
#: not punctuation: it neither ends the sentence nor stands in the LM's context, and it is
#: dropped from the restored text.
_GLUED_MARKS = frozenset("?’'")
_QUOTE_OPENER = re.compile(r"(?:^|(?<=[\s(“]))'")
_GLUED_MARK_NEXT = re.compile(r"[ \t]+(?=[^\W\d_])")
#: Confidence reported for a dropped mark, with keeping it as the alternative: the drop is a
#: rule's decision with no posterior behind it, so it is reported as a toss-up, not certain.
_GLUED_MARK_CONFIDENCE = 0.5
#: A list marker after the mark ("hay không? a) Có"): the mark is the question's own.
_LIST_MARKER_NEXT = re.compile(r"[^\W\d_][.)]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
#: Initial consonants of a Vietnamese syllable, without marks (đ is not ASCII: a word that
#: has it already carries marks and keeps its "?").
_ONSETS = frozenset("b c ch d g gh gi h k kh l m n ng ngh nh p ph q qu r s t th tr v x".split())
#: Letters an English model writes for ư (u w v i r t f y l: the channel's emission table),
#: or for ơ (o), whose horn or hook is the mark read apart.
_HORN_VOWEL_LETTERS = frozenset("uwvirtfylo")
#: Skeletons of words that end a Vietnamese question and are spelt like a split syllable
#: (gì, nhỉ; "gi?" could be giữ): a "?" after one is the question's own ("làm gì? tại
#: sao"). Other question words (không, chưa, sao, nào, đâu, chăng) are no such spelling.
_QUESTION_ENDS = frozenset({"gi", "nhi"})


def _reads_as_split_syllable(word: str) -> bool:
    """Whether ``word`` plus a mark reads as one syllable whose ư or ơ an English model wrote
    as a letter and the mark: an initial consonant and at most one such letter ("st?" sử,
    "ni?" nữ, "tt’" từ, "kh?" khử). "hop?", "kien?", "vay?" are no such spelling."""
    low = word.lower()
    return low in _ONSETS or (low[:-1] in _ONSETS and low[-1] in _HORN_VOWEL_LETTERS)


def _line_of(text: str, start: int, end: int) -> str:
    """The whole line of text[start:end]."""
    line_end = text.find("\n", end)
    return text[text.rfind("\n", 0, start) + 1:line_end if line_end >= 0 else len(text)]


def _glued_mark(text: str, start: int, end: int, word: str, paragraph_start: int = 0) -> bool:
    """Whether the mark character text[start:end], glued to ``word`` before it, is that
    word's split mark: ``word`` carries no marks (a model that split off a mark rendered
    none of that syllable's), is lower-case after its first letter ("Thi?" yes, "A’" no) and
    reads with the mark as one syllable (_reads_as_split_syllable); a "?" ends no question
    word ("làm gì? và"); a space and a lower-case word follow that is no list marker
    ("không? a) Có"); and a quote mark closes no quotation opened earlier in its paragraph
    (it may wrap lines), which starts at ``paragraph_start``."""
    if len(word) < 2 or not word.isascii() or not word.isalpha() or not word[1:].islower() \
            or not _reads_as_split_syllable(word):
        return False
    if text[start] == "?" and skeleton(word) in _QUESTION_ENDS:
        return False
    after = _GLUED_MARK_NEXT.match(text, end)
    if after is None or not text[after.end()].islower() \
            or _LIST_MARKER_NEXT.match(text, after.end()):
        return False
    if text[start] == "’":
        # open when an opening ‘ follows the last ’ (split marks before count for nothing)
        last_close = text.rfind("’", paragraph_start, start)
        return text.find("‘", max(last_close + 1, paragraph_start), start) < 0
    if text[start] == "'":
        return _QUOTE_OPENER.search(text, paragraph_start, start) is None
    return True


#: Sentence-final punctuation: decoding segments end after it.
_SEGMENT_END = set(".;!?:")
#: Upper-case Roman numerals before "." or ")" ("II.", "(khóa X)") and single capitals are
#: kept as written.
_ROMAN = re.compile(r"[IVXLCDM]+")
#: legacy mode: a heading's Roman numeral whose capital I an English model partly read as a
#: small l ("Ill." for "III.", "Il." for "II."): I and l mixed, nothing else; two or three
#: letters ("IlII" would be IIII, which headings do not write).
_MISREAD_ROMAN = re.compile(r"(?=[Il]*I)(?=[Il]*l)[Il]{2,3}")
#: E-mail addresses, URLs and domain names are never restored.
_PROTECTED = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+"
                        r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|vn|org|net|gov|edu|info|int)\b\S*",
                        re.IGNORECASE)


def _section_markers(text: str, tokens) -> list[tuple[int, str]]:
    """(token index, token) of each line-start section marker, in order: a number or a
    Roman numeral (also one misread with small l) before "." or ")"."""
    found = []
    for ti, (start, _end, tok) in enumerate(tokens[:-1]):
        if (ti == 0 or "\n" in text[tokens[ti - 1][1]:start]) and tokens[ti + 1][2] in (".", ")") \
                and (tok.isdigit() or _ROMAN.fullmatch(tok) or _MISREAD_ROMAN.fullmatch(tok)):
            found.append((ti, tok))
    return found


def _counts_in_arabic(tok: str, ti: int, markers: list[tuple[int, str]]) -> bool:
    """Whether the section markers around the misread numeral at token ``ti`` count in Arabic
    numbers up to it, read with each I and l as 1: "10." before "Il." or "12." after it
    (there "Il." is "11.", not "II.")."""
    value = int(tok.replace("I", "1").replace("l", "1"))
    at = bisect.bisect_left(markers, (ti, ""))
    before = markers[at - 1][1] if at > 0 else ""
    after = markers[at + 1][1] if at + 1 < len(markers) else ""
    return (before.isdigit() and int(before) + 1 == value) \
        or (after.isdigit() and int(after) - 1 == value)


def _roman_in_sequence(tok: str, ti: int, markers: list[tuple[int, str]]) -> str | None:
    """legacy mode: the heading numeral that the Roman headings around a numeral of I and l
    only count to, when the OCR dropped or added an I ("II." between "II." and "IV." is
    "III."); None when they do not say (or agree with it already)."""
    if not re.fullmatch(r"[Il]{1,3}", tok):
        return None
    romans = [(i, roman_to_int(t.replace("l", "I"))) for i, t in markers
              if _ROMAN.fullmatch(t.replace("l", "I"))]
    at = next((k for k, (i, _) in enumerate(romans) if i == ti), None)
    if at is None or at == 0 or at + 1 >= len(romans):
        return None
    before, after = romans[at - 1][1], romans[at + 1][1]
    value = roman_to_int(tok.replace("l", "I"))
    if before is None or after is None or after != before + 2 or value == before + 1:
        return None
    want = int_to_roman(before + 1)
    return want if set(want) == {"I"} and abs(len(want) - len(tok)) == 1 else None


@dataclass
class Change:
    """One token the restorer changed."""
    start: int                  # character offsets in the input text
    end: int
    original: str
    replacement: str
    confidence: float           # posterior of the replacement given its neighbours, 0..1
    alternatives: list[tuple[str, float]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "original": self.original,
                "replacement": self.replacement, "confidence": round(self.confidence, 4),
                "alternatives": [[s, round(p, 4)] for s, p in self.alternatives]}


@dataclass
class RestoreResult:
    """The restored text, the mode used and every change made."""
    text: str
    mode: str
    changes: list[Change] = field(default_factory=list)
    encoding: str | None = None   # legacy 8-bit encoding converted from, if any
    #: The administrative model's estimated share of the document (1.0 without a general
    #: model; below ADMIN_ONLY_SHARE the mixture with the general model decoded it, see
    #: normalize.mixture).
    admin_share: float = 1.0

    def to_dict(self) -> dict:
        return {"text": self.text, "mode": self.mode, "encoding": self.encoding,
                "changes": [c.to_dict() for c in self.changes]}


class Restorer:
    """Holds the LM, the skeleton index and the legacy-OCR channel model."""

    def __init__(self, lm: NgramLM, channel=None, *, lexicon: bool = True,
                 general: NgramLM | None = None):
        self.lm = lm
        self.channel = channel
        #: The mixture of this LM and a general-language one (None without a general model),
        #: and the restorer over it, built when a document first needs it (see `mixed`).
        self.mixture = None
        self._mixed: Restorer | None = None
        self._lexicon = lexicon
        if general is not None:
            self.mixture = MixtureLM(lm, general)
        tables = lm.lexicon if lexicon else None
        #: Lexicon bonuses for adjacent candidates (see normalize.lexicon); None without.
        self.pairs = PairBonus(tables) if tables else None
        # A syllable of a dictionary word or a place name is a candidate even when the
        # corpus saw it only once ("bứt" of "bứt phá"), and a valid word in ocr mode.
        listed = set(tables["lex_syllables"].tolist()) if tables else set()
        self.listed: set[str] = {lm.vocab[i] for i in listed}
        by_skel: dict[str, list[tuple[int, int]]] = {}
        for i, w in enumerate(lm.vocab):
            if i < 3 or not w[:1].isalpha():
                continue
            cnt = int(lm.counts[i])
            if cnt < MIN_CANDIDATE_COUNT and not (cnt and i in listed):
                continue
            by_skel.setdefault(skeleton(w), []).append((cnt, i))
        #: The rhymes (marks included) of the syllables the model knows: an unknown word
        #: with one of them is spelt like Vietnamese ("pắn": "ắn" of "ăn", "bắn").
        #: A rhyme counts when at least RHYME_MIN_SYLLABLES syllables have it (the corpus
        #: holds typos: "nguời" once is no evidence for the rhyme "uời").
        rhyme_syllables: dict[str, int] = {}
        for lst in by_skel.values():
            for _, i in lst:
                if is_syllable(lm.vocab[i]):
                    r = rhyme(lm.vocab[i])
                    rhyme_syllables[r] = rhyme_syllables.get(r, 0) + 1
        self.rhymes: set[str] = {r for r, n in rhyme_syllables.items()
                                 if n >= RHYME_MIN_SYLLABLES and has_vietnamese_vowels(r)}
        #: _case_costs' lists, by table.
        self._case_lists: dict[int, tuple[np.ndarray, list[float]]] = {}
        #: stripped mode: a lower-cased token's candidate ids and strings (see _word_slot).
        self._stripped_candidates: dict[str, tuple[list[int], list[str]]] = {}
        self.skel_map: dict[str, list[int]] = {}
        for sk, lst in by_skel.items():
            lst.sort(reverse=True)
            self.skel_map[sk] = [i for _, i in lst[:MAX_CANDIDATES]]

    @property
    def mixed(self) -> "Restorer | None":
        """The restorer over the mixture with the general model: documents the general model
        explains better are restored by it (None without a general model)."""
        if self.mixture is not None and self._mixed is None:
            with _lock_mixed:
                if self._mixed is None:
                    channel = load_default_channel(self.mixture) \
                        if self.channel is not None else None
                    self._mixed = Restorer(self.mixture, channel, lexicon=self._lexicon)
        return self._mixed

    # ----------------------------------------------------------------- candidates
    def _code_like(self, tok: str) -> bool:
        """A symbol or code rather than a word: capitals with digits ("NH4", "PO43"), a
        small letter before a capital ("pH"), or capitals the model knows as no word and no
        skeleton ("COD", "EC")."""
        if not tok[:1].isalpha() or len(tok) < 2:
            return False
        if any(c.isdigit() for c in tok):
            return any(c.isupper() for c in tok)
        if tok[0].islower():
            return any(c.isupper() for c in tok[1:])
        return tok.isupper() and self._spells_no_syllable(tok)

    def _spells_no_syllable(self, tok: str) -> bool:
        """Neither a known word nor, stripped of its marks, the skeleton of one: the skeleton
        map is keyed by mark-free words, so capitals with wrong marks ("NGHÉ") still spell
        the syllable of their skeleton."""
        return skeleton(tok) not in self.skel_map and tok.lower() not in self.lm.index

    def _legacy_abbreviation(self, text: str, tokens, ti: int) -> bool:
        """legacy mode: an all-caps token in running text (its line has lower-case words)
        that spells no syllable ("VTUB", "TW", "NK"), stands alone in brackets ("oxy hòa
        tan (DO)") or stands in a comma list next to a code ("pH, DO, COD") is an
        abbreviation, kept as written: an English model reads unmarked capitals as they
        are (only the LM would make "VỪA", "ĐỘ" of them)."""
        tok = tokens[ti][2]
        if len(tok) < 2 or not tok.isalpha() or not tok.isupper():
            return False
        alone = self._spells_no_syllable(tok)
        line = _line_of(text, tokens[ti][0], tokens[ti][1])
        if not any(len(w) > 1 and w.islower() for w in re.findall(r"[^\W\d_]+", line)):
            return False
        prev = tokens[ti - 1][2] if ti else ""
        nxt = tokens[ti + 1][2] if ti + 1 < len(tokens) else ""
        if alone or (prev == "(" and nxt == ")"):
            return True
        if prev == "," and ti >= 2 and self._code_like(tokens[ti - 2][2]):
            return True
        return nxt == "," and ti + 2 < len(tokens) and self._code_like(tokens[ti + 2][2])

    def _word_slot(self, tok: str, mode: str, ti: int, lone_capital_is_word: bool = False) -> Slot:
        low = tok.lower()
        own = self.lm.index.get(low, UNK)
        if len(tok) == 1 and tok.isupper() and not lone_capital_is_word:
            if mode == "legacy" and self.channel is not None and LEGACY_LONE_CAPITAL_COST:
                # An English model may keep only the capital of a syllable ("S" for "Sở"):
                # the letter stays unless the LM clearly wants the word.
                read = self.channel.slot(self, tok, ti)
                ids, costs, strs = [own], [0.0], [low]
                for i, c, w in zip(read.ids, read.costs, read.strings):
                    if i != own and i != UNK:
                        ids.append(i)
                        costs.append(c + LEGACY_LONE_CAPITAL_COST)
                        strs.append(w)
                return Slot(ids, costs, strs, ti)
            return Slot([own], [0.0], [low], ti)
        if mode == "stripped":
            if has_diacritics(tok):
                return Slot([own], [0.0], [low], ti)
            known = self._stripped_candidates.get(low)
            if known is None:
                cands = self.skel_map.get(low)
                if not cands:
                    return Slot([own], [0.0], [low], ti)
                ids = list(cands)
                if own != UNK and own not in ids:
                    ids.append(own)
                known = self._stripped_candidates[low] = (ids, [self.lm.vocab[i] for i in ids])
            # Copies: a slot's lists are its own.
            return Slot(list(known[0]), [0.0] * len(known[0]), list(known[1]), ti)
        if mode == "ocr":
            sk = skeleton(low)
            if sk != low and not is_syllable(sk):
                # Marks on a word that is not one syllable ("Colò", "vectơ", "México"): a
                # foreign or borrowed word written on purpose.
                return Slot([own], [0.0], [low], ti)
            cands = self.skel_map.get(sk, [])
            valid = (own != UNK and int(self.lm.counts[own]) >= MIN_CANDIDATE_COUNT) \
                or low in self.listed
            if valid:
                change = OCR_CHANGE_COST
            elif sk != low and is_well_formed(low) and rhyme(low) in self.rhymes:
                # Spelt like Vietnamese: an unknown word costs the LM far more than a known
                # one (docs/normalize.md), hence the high cost; a word the corpus saw once
                # costs it much less already, so it is changed like any known word.
                change = OCR_UNKNOWN_MARKED_COST if own == UNK else OCR_CHANGE_COST
            else:
                change = OCR_INVALID_CHANGE_COST
            ids, costs, strs = [own], [0.0], [low]
            for i in cands:
                if i != own:
                    ids.append(i)
                    costs.append(change)
                    strs.append(self.lm.vocab[i])
            return Slot(ids, costs, strs, ti)
        # legacy
        if self.channel is not None:
            return self.channel.slot(self, tok, ti)
        return self._word_slot(tok, "ocr", ti)

    def _add_case_cost(self, slot: Slot, tok: str) -> None:
        """Inside a sentence a capital says "name": weigh candidates by how often the corpus
        writes them with one (Lộc, Hoằng) or without (lọc, hoàng)."""
        letters = tok[1:]
        if tok[0].isupper() and (not letters or letters.islower()):
            table = self._case_costs(self.lm.title_cost)
        elif tok.islower():
            table = self._case_costs(self.lm.lower_cost)
        else:
            return
        slot.costs = [c + table[i] for c, i in zip(slot.costs, slot.ids)]

    def _case_costs(self, table: np.ndarray) -> list[float]:
        """``table * CASE_WEIGHT`` (float32, as numpy computes it) as a list of Python
        floats, made once per table: indexing a list per slot is cheaper than numpy."""
        got = self._case_lists.get(id(table))
        if got is None or got[0] is not table:
            got = self._case_lists[id(table)] = (table, (table * CASE_WEIGHT).tolist())
        return got[1]

    def _build_segments(self, text: str, tokens, mode: str, romans: set[int] | None = None,
                        marks: set[int] | None = None) -> list[Segment]:
        """The decoding segments of ``text``; the token indices of misread Roman numerals
        ("Ill." for "III.", written back in capitals) are added to ``romans``, those of marks
        split from a word (_GLUED_MARKS), which get no slot, to ``marks``."""
        segments: list[Segment] = []
        markers = _section_markers(text, tokens) if mode == "legacy" else []
        seg = Segment(start_history=BOS)
        protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
        pi = 0
        prev_end = 0
        prev_tok = ""
        last_marker = ""     # the letter of the last "a)"/"b." list item marker
        marker_at = -9       # its token index
        paragraph_start = 0  # where the text after the last blank line starts
        for ti, (start, end, tok) in enumerate(tokens):
            gap = text[prev_end:start]
            if "\n" in gap:
                for brk in _PARAGRAPH_BREAK.finditer(gap):
                    paragraph_start = prev_end + brk.end()
            new_paragraph = ti == 0
            line_start = ti == 0 or "\n" in gap
            after_marker = ti == marker_at + 2
            if ti and "\n" in gap and (gap.count("\n") > 1 or prev_tok in _SEGMENT_END):
                new_paragraph = True
                if seg.slots:
                    segments.append(seg)
                seg = Segment(start_history=BOS)
            while pi < len(protected) and protected[pi][1] <= start:
                pi += 1
            in_protected = pi < len(protected) and protected[pi][0] <= start
            if mode == "legacy" and tok in _GLUED_MARKS and ti and not gap and seg.slots \
                    and is_word(prev_tok) and not in_protected \
                    and _glued_mark(text, start, end, prev_tok, paragraph_start):
                # "st? dung": the mark of the word before, read apart (see _GLUED_MARKS).
                if marks is not None:
                    marks.add(ti)
                prev_end = end
                continue
            if is_word(tok):
                nxt = tokens[ti + 1][2] if ti + 1 < len(tokens) else ""
                marker = len(tok) == 1 and line_start and nxt in (".", ")")
                if marker and mode in _LIST_MODES and skeleton(tok) == "d" \
                        and last_marker in ("c", "d"):
                    # List items run a) b) c) d) đ) e): "d)" after "d)" is "đ)".
                    letter = "đ" if last_marker == "d" else "d"
                    slot = Slot([self.lm.index.get(letter, UNK)], [0.0], [letter], ti)
                elif mode == "legacy" and line_start and nxt in (".", ")") \
                        and (in_sequence := _roman_in_sequence(tok, ti, markers)):
                    # "II." between the headings "II." and "IV.": an I the OCR lost
                    read = in_sequence.lower()
                    slot = Slot([self.lm.index.get(read, UNK)], [0.0], [read], ti)
                    if romans is not None:
                        romans.add(ti)
                elif in_protected or (nxt in (".", ")") and _ROMAN.fullmatch(tok)) \
                        or (mode == "legacy" and self._legacy_abbreviation(text, tokens, ti)):
                    slot = Slot([self.lm.index.get(tok.lower(), UNK)], [0.0], [tok.lower()], ti)
                elif mode == "legacy" and line_start and nxt in (".", ")") \
                        and _MISREAD_ROMAN.fullmatch(tok):
                    # A heading's Roman numeral read with small l, unless the section
                    # markers next to it count in Arabic up to it ("10." before "Il." or
                    # "12." after it): then it is kept as written, the Arabic number being
                    # the likelier reading.
                    arabic = _counts_in_arabic(tok, ti, markers)
                    read = tok.lower() if arabic else tok.replace("l", "I").lower()
                    slot = Slot([self.lm.index.get(read, UNK)], [0.0], [read], ti)
                    if not arabic and romans is not None:
                        romans.add(ti)
                else:
                    # A lone capital is a word when it opens a sentence (or a list item)
                    # before a lower-case word ("O cap tinh" = "Ở cấp tỉnh") or stands in
                    # an all-caps heading ("NHA O" = "NHÀ Ở"); elsewhere it is an initial
                    # or a label ("nhóm A").
                    opens = line_start or prev_tok in SENTENCE_OPENERS or after_marker
                    in_caps = any(len(w) > 1 and w.isalpha() and w.isupper()
                                  for w in (prev_tok, nxt))
                    slot = self._word_slot(tok, mode, ti,
                                           (opens and nxt[:1].islower()) or in_caps)
                    slot.capital = len(tok) > 1 and tok[0].isupper() and tok[1:].islower()
                    if len(slot.ids) > 1 and self.lm.title_cost is not None and prev_tok \
                            and not new_paragraph and prev_tok not in SENTENCE_OPENERS \
                            and not prev_tok.isdigit():
                        self._add_case_cost(slot, tok)
                        if mode == "ocr" and slot.capital and OCR_NAME_CHANGE_COST \
                                and isinstance(self.lm, MixtureLM):
                            slot.costs = [c + (OCR_NAME_CHANGE_COST if k else 0.0)
                                          for k, c in enumerate(slot.costs)]
                if marker:
                    last_marker = slot.strings[0] if len(slot.ids) == 1 else skeleton(tok)
                    marker_at = ti
            elif tok.isdigit():
                if mode == "legacy" and self.channel is not None:
                    slot = self.channel.number_slot(self, tok, ti)
                    if len(slot.ids) == 1:
                        slot.token_index = -1
                else:
                    slot = Slot([NUM], [0.0], [tok], -1)
            elif mode == "legacy" and self.channel is not None and tok in LEGACY_SYMBOL_WORDS \
                    and not in_protected and gap[-1:].isspace() \
                    and text[end:end + 1].isspace() \
                    and not (prev_tok.isdigit() and re.match(r"\s+\d", text[end:])):
                # A lone "@" between words: an English model's reading of "ở" (between two
                # numbers it is the symbol: "12 @ 34").
                slot = self.channel.number_slot(self, tok, ti, self.lm.index.get(tok, UNK))
                if len(slot.ids) == 1:
                    slot.token_index = -1
            else:
                slot = Slot([self.lm.index.get(tok, UNK)], [0.0], [tok], -1)
            seg.slots.append(slot)
            if (tok in _SEGMENT_END and len(seg.slots) > 1) or len(seg.slots) >= 300:
                segments.append(seg)
                seg = Segment(start_history=slot.ids[0])
            prev_end, prev_tok = end, tok
        if seg.slots:
            segments.append(seg)
        return segments

    # ----------------------------------------------------------------- document cache
    @staticmethod
    def _apply_document_cache(segments: list[Segment], chosen: list[list[int]]) -> list[int]:
        """Second-pass evidence from the rest of the document (a cache model).

        A document repeats itself: the names of its places and bodies, its pet phrases. After
        a first pass, every candidate of every ambiguous slot gets an extra cost
        -DOC_CACHE_WEIGHT * ln share, where a candidate's share among its slot's candidates is
        (times the first pass put it next to the same neighbours elsewhere in the document
        + DOC_CACHE_UNIGRAM * times it chose it anywhere + DOC_CACHE_PRIOR); the slot's own
        first-pass choice is not counted. So a phrase restored with confidence in a telling
        context ("huyện Hoằng Hóa") pulls its repetitions in weaker ones the same way.
        Returns (segment, slot) of the slots where another candidate has more support than
        the first choice: only around those can the best path change."""
        seqs = [[s.slots[t].ids[k] for t, k in enumerate(path)]
                for s, path in zip(segments, chosen)]
        uni: dict[int, int] = {}
        big: dict[tuple[int, int], int] = {}
        for q in seqs:
            for w in q:
                uni[w] = uni.get(w, 0) + 1
            for pair in zip(q, q[1:]):
                big[pair] = big.get(pair, 0) + 1
        flagged: list[tuple[int, int]] = []
        pending: list[tuple[int, int, Slot, int]] = []   # slots whose costs change
        ratios: list[float] = []      # per pending slot: best / own support, then shares
        for si, seg in enumerate(segments):
            q = seqs[si]
            last = len(q) - 1
            for t, slot in enumerate(seg.slots):
                if len(slot.ids) < 2:
                    continue
                mine = q[t]
                prev = q[t - 1] if t else None
                nxt = q[t + 1] if t < last else None
                support = []
                for w in slot.ids:
                    if w == UNK or w == NUM:
                        # "Keep the unknown token" / "keep the number": their counts pool
                        # every unknown word and every number of the document ("6" read
                        # for "ở" must not be pulled back by "ngày 12 tháng 6").
                        support.append(DOC_CACHE_PRIOR)
                        continue
                    own = 1 if w == mine else 0
                    n = DOC_CACHE_UNIGRAM * (uni.get(w, 0) - own) + DOC_CACHE_PRIOR
                    if prev is not None:
                        n += big.get((prev, w), 0) - own
                    if nxt is not None:
                        n += big.get((w, nxt), 0) - own
                    support.append(n)
                k = slot.ids.index(mine)
                best = max(support)
                if best <= DOC_CACHE_PRIOR:
                    continue   # no evidence for any candidate: every cost would be equal
                total = sum(support)
                pending.append((si, t, slot, len(support)))
                ratios.append(best / support[k])
                ratios.extend(n / total for n in support)
        # One np.log over every ratio (the same numbers as one call per ratio; math.log
        # differs from it in the last bit now and then, which could move a choice).
        logs = np.log(np.array(ratios, dtype=np.float64)).tolist()
        at = 0
        for si, t, slot, n_cand in pending:
            if DOC_CACHE_WEIGHT * logs[at] > CACHE_MIN_GAIN:
                flagged.append((si, t))
            slot.costs = [c - DOC_CACHE_WEIGHT * lg
                          for c, lg in zip(slot.costs, logs[at + 1:at + 1 + n_cand])]
            at += 1 + n_cand
        return flagged

    def _redecode_with_cache(self, segments: list[Segment], chosen: list[list[int]],
                             pairs: PairBonus | None = None, lm=None) -> None:
        """Add the document-cache costs and decode again, in place, only the windows around
        the slots where they can change the choice: a window frees the flagged slots and
        CACHE_WINDOW slots on each side, and pins the LM order - 1 slots beyond them to their
        first-pass choice, so that the rest of the path stays the best it was."""
        lm = lm or self.lm
        flagged = self._apply_document_cache(segments, chosen)
        if not flagged:
            return
        ctx = lm.order - 1
        windows: list[tuple[int, int, int]] = []     # (segment, first free, last free)
        for si, t in flagged:
            a = max(0, t - CACHE_WINDOW)
            b = min(len(segments[si].slots) - 1, t + CACHE_WINDOW)
            if windows and windows[-1][0] == si and a <= windows[-1][2] + ctx + 1:
                windows[-1] = (si, windows[-1][1], b)
            else:
                windows.append((si, a, b))
        subs: list[Segment] = []
        for si, a, b in windows:
            seg, path = segments[si], chosen[si]
            lo, hi = max(0, a - ctx), min(len(seg.slots) - 1, b + ctx)
            sub = Segment(start_history=seg.start_history if lo == 0
                          else seg.slots[lo - 1].ids[path[lo - 1]])
            for t in range(lo, hi + 1):
                slot = seg.slots[t]
                if a <= t <= b:
                    sub.slots.append(slot)
                else:
                    k = path[t]
                    sub.slots.append(Slot([slot.ids[k]], [0.0], [slot.strings[k]],
                                          capital=slot.capital))
            subs.append(sub)
        paths = decode(lm, subs, beam=CACHE_BEAM, pairs=pairs)
        for (si, a, b), sub_path in zip(windows, paths):
            lo = max(0, a - ctx)
            for t in range(a, b + 1):
                chosen[si][t] = sub_path[t - lo]

    # ----------------------------------------------------------------- restore
    def admin_share(self, segments: list[Segment], chosen: list[list[int]]) -> float:
        """The administrative model's share of the decoded words (mixture weight by EM, see
        normalize.mixture.admin_share); 1.0 without a general model."""
        mixture = self.lm if isinstance(self.lm, MixtureLM) else self.mixture
        if mixture is None:
            return 1.0
        H = self.lm.order - 1
        hists, words = [], []
        for seg, path in zip(segments, chosen):
            # Words this model does not know may be known to the general one ("chim" in a
            # text about birds): they are evidence too.
            ids = [seg.slots[t].ids[k] if seg.slots[t].ids[k] != UNK
                   else mixture.index.get(seg.slots[t].strings[k], UNK)
                   for t, k in enumerate(path)]
            words_at = [t for t, slot in enumerate(seg.slots)
                        if slot.token_index >= 0 and ids[t] != UNK]
            if not words_at:
                continue
            padded = np.array([UNK] * (H - 1) + [seg.start_history] + ids, dtype=np.int64)
            grams = padded[np.array(words_at)[:, None] + np.arange(H + 1)[None, :]]
            hists.append(grams[:, :H])
            words.append(grams[:, H])
        if not words:
            return 1.0
        ca, cg = mixture.costs(np.concatenate(hists), np.concatenate(words))
        return admin_share(ca, cg)

    def restore(self, text: str, mode: str, *, with_confidence: bool = True,
                admin_weight: float | None = None) -> RestoreResult:
        """Restore ``text`` (already Unicode-clean) in a concrete mode (not 'auto').

        With a general model, a document whose first reading the administrative model
        explains less than ADMIN_ONLY_SHARE of is restored by the mixture restorer instead.
        That one (called with ``admin_weight``: the share from the first reading) decodes
        with the mixture, estimates the share again on its own reading (the administrative
        model's reading of a general text leans towards administrative words: 1,004 against
        957 errors on the general evaluation text) and decodes with that share."""
        lm = self.lm if admin_weight is None else self.lm.with_weight(admin_weight)
        tokens = tokenize(text, legacy=mode == "legacy")
        romans: set[int] = set()
        marks: set[int] = set()
        segments = self._build_segments(text, tokens, mode, romans, marks)
        pairs = self.pairs.for_text(text) if self.pairs is not None else None
        beam = LEGACY_BEAM if mode == "legacy" else BEAM
        chosen = decode(lm, segments, beam=beam, pairs=pairs)
        share = 1.0
        if self.mixture is not None:
            share = self.admin_share(segments, chosen)
            if share < ADMIN_ONLY_SHARE:
                return self.mixed.restore(text, mode, with_confidence=with_confidence,
                                          admin_weight=share)
        elif admin_weight is not None:
            share = self.admin_share(segments, chosen)
            lm = self.lm.with_weight(share)
            chosen = decode(lm, segments, beam=beam, pairs=pairs)
        if mode in DOC_CACHE_MODES and DOC_CACHE_WEIGHT > 0:
            self._redecode_with_cache(segments, chosen, pairs, lm)
        replacements: dict[int, str] = {}
        positions: list[tuple[int, int]] = []
        for si, seg in enumerate(segments):
            for t, slot in enumerate(seg.slots):
                if slot.token_index < 0:
                    continue
                k = chosen[si][t]
                tok = tokens[slot.token_index][2]
                new = slot.strings[k]
                if new != tok.lower():
                    if slot.token_index in romans:
                        replacements[slot.token_index] = new.upper()     # "Ill." -> "III."
                    else:
                        pattern = _case_for(new, tokens, slot.token_index)
                        replacements[slot.token_index] = apply_case(new, pattern, tok)
                    positions.append((si, t))
        posts: list = []
        if with_confidence:
            # In slices: memory stays bounded on huge inputs.
            for a in range(0, len(positions), 4000):
                posts.extend(local_posteriors(lm, segments, chosen, positions[a:a + 4000],
                                              pairs))
        changes: list[Change] = []
        by_token: dict[int, Change] = {}
        for j, (si, t) in enumerate(positions):
            slot = segments[si].slots[t]
            start, end, tok = tokens[slot.token_index]
            k = chosen[si][t]
            conf, alts = 1.0, []
            if posts:
                p = posts[j]
                conf = float(p[k])
                order = np.argsort(-p)
                alts = [(apply_case(slot.strings[i],
                                    _case_for(slot.strings[i], tokens, slot.token_index), tok),
                         float(p[i]))
                        for i in order[:4] if i != k][:3]
            ch = Change(start, end, tok, replacements[slot.token_index], conf, alts)
            by_token[slot.token_index] = ch
        for ti in marks:
            start, end, tok = tokens[ti]
            replacements[ti] = ""
            # (a rule, not the LM, drops it: no posterior to report, so not "certain" either)
            by_token[ti] = Change(start, end, tok, "", _GLUED_MARK_CONFIDENCE,
                                  [(tok, 1.0 - _GLUED_MARK_CONFIDENCE)])
        out = []
        prev = 0
        for ti, (start, end, _) in enumerate(tokens):
            if ti in replacements:
                out.append(text[prev:start])
                out.append(replacements[ti])
                prev = end
        out.append(text[prev:])
        changes = [by_token[ti] for ti in sorted(by_token)]
        return RestoreResult("".join(out), mode, changes, admin_share=share)

    # ----------------------------------------------------------------- detection
    def detect_mode(self, text: str) -> str:
        """'stripped', 'legacy' or 'ocr' (vie OCR or correct text) from word statistics."""
        words = [t for _, _, t in tokenize(text) if t[:1].isalpha() and len(t) > 1]
        if not words:
            return "ocr"
        lows = [w.lower() for w in words]
        diac = sum(1 for w in lows if has_diacritics(w)) / len(lows)
        # Words the general model knows count too (names and terms of general text).
        index = self.mixture.index if self.mixture is not None else self.lm.index
        known = sum(1 for w in lows if w in index) / len(lows)
        if diac >= 0.25 and known >= 0.85:
            return "ocr"
        # Unmarked words are judged by their skeleton: a stripped "hien" is not a syllable
        # the model knows, but the skeleton of several ("hiện", "hiền").
        restorable = sum(1 for w in lows if w in index or w in self.skel_map) / len(lows)
        if diac < 0.02 and restorable >= 0.85:
            return "stripped"
        return "legacy"


def _case_for(word: str, tokens: list, index: int) -> str:
    """The casing pattern the restored ``word`` gets from token ``index`` as written (see
    :func:`vanban.text.case_in_context`)."""
    neighbours = [tokens[j][2] for j in (index - 1, index + 1) if 0 <= j < len(tokens)]
    return case_in_context(word, tokens[index][2], neighbours)


_lock = threading.Lock()
_lock_mixed = threading.Lock()
_default: Restorer | None = None


def get_restorer(model: str | Path | None = None,
                 general: str | Path | None = None) -> Restorer:
    """The shared restorer with the shipped models (loaded once per process); ``model`` and
    ``general`` (the general-language model, optional) name other files."""
    global _default
    if model is not None:
        lm = NgramLM.load(model)
        return Restorer(lm, load_default_channel(lm),
                        general=NgramLM.load(general) if general is not None else None)
    with _lock:
        if _default is None:
            lm = NgramLM.load(DEFAULT_MODEL)
            gen = NgramLM.load(DEFAULT_GENERAL_MODEL) if DEFAULT_GENERAL_MODEL.is_file() else None
            _default = Restorer(lm, load_default_channel(lm), general=gen)
        return _default

