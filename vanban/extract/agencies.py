"""Agencies: find names in a clause, split enumerations, normalise to one key per agency.

Agency heads ("Sở", "Ủy ban nhân dân", "Công an", ...) are found by a spaCy ``Matcher`` whose
patterns come from ``patterns/agencies.json``; a name runs from its head over capitalised words
and the lower-case words allowed inside names (same file) and stops at anything else (a verb).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text import normalize_tone_style
from .spacy_load import load_spacy
from .text import fold, key, load_patterns

_TOKEN_RE = re.compile(r"\w+(?:[&/.-]\w+)*|[^\w\s]", re.UNICODE)

#: The gazetteer (patterns/gazetteer.json, built by scripts/make_agency_gazetteer.py) marks known
#: bodies and shared-head categories as agency starts; the builder itself switches it off.
USE_GAZETTEER = True


def new_blank_pipeline():
    """A blank Vietnamese spaCy pipeline. Its default tokenizer needs pyvi (a word segmenter we
    do not use: tokens come from our own regex), so it is switched off."""
    spacy = load_spacy()
    try:
        return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    except Exception:  # an older spaCy without the option: any blank pipeline tokenises our words
        return spacy.blank("xx")


@lru_cache(maxsize=1)
def _nlp():
    return new_blank_pipeline()


@lru_cache(maxsize=1)
def _head_matcher():
    """spaCy PhraseMatcher over lower-case tokens for the agency heads of agencies.json
    (each head also without diacritics, for OCR text that lost them)."""
    load_spacy()
    from spacy.matcher import PhraseMatcher
    nlp = _nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    phrases = set()
    for head in load_patterns("agencies")["heads"]:
        words = tuple(head.split())
        phrases.add(words)
        phrases.add(tuple(fold(w) for w in words))
    from spacy.tokens import Doc
    matcher.add("AGENCY_HEAD", [Doc(nlp.vocab, words=list(p)) for p in sorted(phrases)])
    return matcher


@lru_cache(maxsize=1)
def _gazetteer_matcher():
    """spaCy PhraseMatcher over lower-case tokens for the gazetteer's names and categories."""
    load_spacy()
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc
    nlp = _nlp()
    gz = load_patterns("gazetteer")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    names = gz["names"] + gz["categories"]
    # both tone placements of oa/oe/uy syllables ("ủy" / "uỷ", "hóa" / "hoá") are in use
    variants = [normalize_tone_style(n, style) for n in names for style in ("old", "new")]
    phrases = {tuple(t[0] for t in tokenize(n)) for n in names + variants}
    matcher.add("AGENCY", [Doc(nlp.vocab, words=list(p)) for p in sorted(phrases) if p])
    return matcher


@lru_cache(maxsize=1)
def label_keys() -> frozenset[str]:
    """Keys of the labels that are never an agency ("Đơn vị thực hiện", "Cơ quan chủ trì")."""
    return frozenset(key(x) for x in load_patterns("gazetteer")["labels"])


def is_label(name: str) -> bool:
    return key(name) in label_keys()


@lru_cache(maxsize=4096)
def gazetteer_spans(text: str) -> dict[int, int]:
    """{token index: token length} of the longest gazetteer match starting there."""
    if not USE_GAZETTEER:
        return {}
    tokens = tokenize(text)
    if not tokens:
        return {}
    out: dict[int, int] = {}
    for _, s, e in _gazetteer_matcher()(_make_doc(tokens)):
        out[s] = max(out.get(s, 0), e - s)
    return out


@lru_cache(maxsize=1)
def _verb_pairs() -> frozenset[str]:
    """Two-word verbs (diacritic-free) that end a name written in lower case: the verbs that open
    a sentence (segment.json) and end an addressee (headings.json), "tổ chức" excepted."""
    words = set(load_patterns("segment")["sentence_openings"]) | set(load_patterns("headings")["subject_ends"])
    return frozenset(w for w in words if len(w.split()) == 2 and w != "to chuc")


@lru_cache(maxsize=1)
def _inner_words() -> frozenset[str]:
    words = set(load_patterns("agencies")["inner_words"])
    return frozenset(words | {fold(w) for w in words})


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Word and punctuation tokens with their character offsets."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def _make_doc(tokens):
    nlp = _nlp()  # imports spaCy (load_spacy) before the line below does
    from spacy.tokens import Doc
    return Doc(nlp.vocab, words=[t[0] for t in tokens] or [""])


@lru_cache(maxsize=4096)
def head_starts(text: str) -> tuple[list[tuple[str, int, int]], dict[int, int]]:
    """Tokens of ``text`` and {token index where an agency head starts: head length}."""
    tokens = tokenize(text)
    if not tokens:
        return tokens, {}
    doc = _make_doc(tokens)
    starts: dict[int, int] = {}
    for _, s, e in _head_matcher()(doc):
        starts[s] = max(starts.get(s, 0), e - s)
    for s, n in gazetteer_spans(text).items():
        starts[s] = max(starts.get(s, 0), n)  # a known body ("Thông tấn xã Việt Nam") starts a name
    capitalised = _capitalised_heads()
    for i, (tok, _a, _b) in enumerate(tokens[:-1]):
        # heads that are agencies only when capitalised ("Vụ Tổ chức cán bộ", not "nhiệm vụ";
        # "Thanh tra Thành phố", not "công tác thanh tra")
        for head in capitalised.get(tok, ()):
            n = len(head)
            if i + n < len(tokens) and tuple(t for t, _, _ in tokens[i:i + n]) == head \
                    and tokens[i + n][0][:1].isupper() and i not in starts:
                starts[i] = n
                # the head qualifies the name after it ("Trung ương Mặt trận Tổ quốc Việt Nam",
                # "Thanh tra Bộ Xây dựng"): one body, no second start
                starts.pop(i + n, None)
    not_heads = _not_heads()
    for i in [s for s, n in starts.items() if n == 1 and s + 1 < len(tokens)]:
        # a head word that opens a common word ("Báo cáo định kỳ", "Ban hành ..."), not a body
        if f"{tokens[i][0]} {tokens[i + 1][0]}".lower() in not_heads:
            del starts[i]
    return tokens, starts


@lru_cache(maxsize=1)
def _not_heads() -> frozenset[str]:
    return frozenset(load_patterns("agencies").get("not_heads", []))


@lru_cache(maxsize=1)
def _capitalised_heads() -> dict[str, list[tuple[str, ...]]]:
    """First word -> the capitalised heads (as word tuples) it opens."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for head in load_patterns("agencies").get("capitalised_heads", []):
        words = tuple(head.split())
        out.setdefault(words[0], []).append(words)
    return out


@lru_cache(maxsize=1)
def _paired_inner_words() -> dict[str, str]:
    return dict(load_patterns("agencies")["paired_inner_words"])


def unpaired_inner_word(tok: str, prev: str) -> bool:
    """``tok`` is a word that is a name word only after its partner ("gia" after "quốc") and
    ``prev`` is not that partner: it opens the work after a name ("Cục Thuế tỉnh | gia hạn")."""
    partner = _paired_inner_words().get(tok.lower())
    return partner is not None and prev.lower() != partner


def _is_name_word(tok: str, prev: str) -> bool:
    partner = _paired_inner_words().get(tok.lower())
    if partner is not None and prev.lower() == partner:
        return True  # "Ban Chỉ đạo 389 quốc gia", "Ủy ban nhân dân đặc biệt"
    return tok[:1].isupper() or tok[:1].isdigit() or tok.lower() in _inner_words() or "&" in tok \
        or ("/" in tok and all(w in _inner_words() for w in tok.lower().split("/")))  # "tỉnh/thành phố"


@lru_cache(maxsize=4096)
def agency_spans(text: str, max_words: int = 80) -> tuple[tuple[int, int], ...]:
    """Character spans of agency names in ``text`` (heads found by the spaCy Matcher)."""
    tokens, starts = head_starts(text)
    spans = []
    i = 0
    stops = set(load_patterns("agencies")["stop_words"])
    while i < len(tokens):
        if i not in starts:
            i += 1
            continue
        j = i + starts[i]
        end = j
        words = 0
        second = None
        gz_end = i + gazetteer_spans(text).get(i, 0)  # a known name is never cut short
        gz = gazetteer_spans(text)
        while j < len(tokens) and words < max_words:
            tok = tokens[j][0]
            if j in gz and j + gz[j] > gz_end and tokens[j - 1][0] in (",", "và"):
                gz_end = j + gz[j]  # a known name listed next ("..., Cổng Thông tin điện tử tỉnh")
            locality = _locality_after(tokens, j) if tok.lower() == "của" else 0
            if locality:
                end = j = j + 1 + locality
                gz_end = min(gz_end, end)
                break  # "các sở, ngành của Thành phố": the city a document speaks for, as a name
            if tok.lower() == "trên" and tokens[j - 1][0].lower() == "cấp":
                j += 1  # "các cơ quan quản lý cấp trên"
                end = j
                continue
            group = max(k for k in starts if i <= k < j)  # the head of the name this word goes on
            if tok.lower() in ("trên", "tại", "đóng") and "các" in (
                    tokens[group][0].lower(), tokens[group - 1][0].lower() if group else ""):
                n_loc = _location_qualifier(tokens, j)
                if n_loc:
                    end = j = j + n_loc  # "các địa phương trên địa bàn tỉnh": a group's location
                    break
            if tok.lower() == "và" and _object_head_in(tokens, i, j) and j + 1 < len(tokens) \
                    and tokens[j + 1][0] == "các" \
                    and _ends_in_place_level(tokens, j):
                # "Ban Quản lý an toàn thực phẩm tỉnh | và các huyện": its place ends the object, and
                # "các <place level>" is a second body (the same one at the lower level)
                level = _phrase_at(tokens, j + 2, "complete_name_ends")
                second = (j + 1, j + 2 + level) if level else None
                break
            if tok.lower() == "và" and j + 1 < len(tokens) and tokens[j + 1][0].isalpha() \
                    and tokens[j + 1][0].islower() and _object_head_in(tokens, i, j):
                j += 2  # "Quỹ Bảo vệ và phát triển rừng": the function's objects go on (a verb's
                end = j  # syllable after "và" names a second function, not the body's verb)
                continue
            if tok.lower() in stops:
                break
            if gz_end > i and j == gz_end and tok[:1].islower() and (
                    tok.lower() not in _UNIT_WORDS and tok.lower() not in _inner_words()
                    or key(f"{tokens[j - 2][0]} {tokens[j - 1][0]}") == "lien quan"):
                break  # a known name ends here ("các cơ quan thông tấn báo chí | tuyên truyền",
                # "các đơn vị liên quan | quản lý")
            if tok == ":" and j == i + starts[i] and tokens[i][0].lower() == "các" and j + 1 < len(tokens) \
                    and tokens[j + 1][0][:1].isupper():
                j += 1  # "Các Bộ: Quốc phòng, Công an": a shared head with its members listed
                continue
            if tok in ("(",) and not (j + 1 < len(tokens) and tokens[j + 1][0][:1].isupper()):
                break  # "(có dự án khánh thành …)": a remark, no part of the name
            if tok in ("(",):
                # a parenthesised qualifier that is part of the name: "(Cơ quan thường trực ...)"
                close = next((k for k in range(j, min(len(tokens), j + 25)) if tokens[k][0] == ")"), None)
                if close is None:
                    break
                j = close + 1
                end = j
                continue
            if tok in (",",) or tok.lower() == "và":
                # continue over "," / "và" only when a name word follows (not a verb)
                if j + 2 < len(tokens) and tokens[j + 1][0].lower() == "tổ" and tokens[j + 2][0] == "chức" \
                        and (j + 3 >= len(tokens) or tokens[j + 3][0] in (",", "và", "có", "liên", ";", ".")):
                    j += 3  # "các cơ quan, tổ chức, cá nhân có liên quan"
                    end = j
                    continue
                if j + 1 < len(tokens) and _is_name_word(tokens[j + 1][0], tok) and tokens[j + 1][0] not in ",;:":
                    j += 1
                    continue
                break
            if tok == "-" and j + 1 < len(tokens) and key(tokens[j + 1][0]) in ("co", "thuong", "don"):
                break  # "Sở Tài chính - Cơ quan thường trực ...": an apposition, not the name
            if tok.lower() == "của" and j + 1 < len(tokens) and tokens[j + 1][0][:1].isupper() \
                    and head_starts(" ".join(t[0] for t in tokens[j + 1:j + 4]))[1].get(0):
                j += 1  # "các đơn vị của Bộ Nông nghiệp và Môi trường"
                continue
            if tok == "-" and j + 1 < len(tokens) and tokens[j + 1][0][:1].isupper():
                j += 1
                continue
            if tok.lower() == "có" and not (j + 1 < len(tokens) and tokens[j + 1][0].lower() == "liên"):
                break  # "... có liên quan" goes on a name; "... có trách nhiệm" does not
            n_phrase = _phrase_at(tokens, j, "object_phrases") if tok[:1].islower() else 0
            if n_phrase and _object_head_in(tokens, i, j):
                j += n_phrase  # "Ban Quản lý dự án | đầu tư xây dựng | tỉnh": a verb used as a noun
                end = j
                continue
            if tok[:1].islower() and j + 1 < len(tokens) and \
                    key(f"{tok} {tokens[j + 1][0]}") in _verb_pairs():
                break  # "Ủy ban nhân dân xã, phường | tuyên truyền ...": a verb ends the name
            if tok.lower() == "đặc" and j + 1 < len(tokens) and tokens[j + 1][0] == "biệt" and any(
                    (key(" ".join(t[0] for t in tokens[j + 2:j + 4])) + " ").startswith(w + " ")
                    for w in load_patterns("agencies")["especially_before"]):
                break  # "Sở Y tế | đặc biệt quan tâm …", "các xã | đặc biệt là …": the adverb
            if tok[:1].islower() and _function_verb_after_name(tokens, i, i + starts[i], j, gz_end):
                break  # "Công an tỉnh | quản lý chặt chẽ …": the verb after a complete name
            if tok.isalpha() and tok.islower() and _proper_name_before(tokens, i + starts[i], j) \
                    and _object_head_in(tokens, i, j - 2):
                break  # "Ban Quản lý rừng phòng hộ Sông Hinh | bảo vệ …": a proper name ends the object
            if _is_name_word(tok, tokens[j - 1][0]) and tok not in ".;:":
                j += 1
                end = j
                words += 1
                if tok.lower() == "quan" and tokens[j - 2][0].lower() == "liên":
                    break  # "(có) liên quan" ends a name
                continue
            if tok.lower() == "tổ" and j + 1 < len(tokens) and tokens[j + 1][0].lower() == "chức":
                j += 2
                end = j
                continue
            if tok.isalpha() and tok.islower() and tokens[j - 1][0][:1].isupper() \
                    and j - 1 >= i + starts[i] and tokens[j - 1][0].isalpha() \
                    and not tokens[j - 1][0].isupper() and not _proper_name_before(tokens, i + starts[i], j):
                # second syllable of a capitalised word inside a name: "Công nghệ", "Y tế"
                j += 1
                end = j
                words += 1
                continue
            n_tail = _name_tail(tokens, j) if tok.isalpha() and tok.islower() \
                and _proper_name_before(tokens, i + starts[i], j) else 0
            if n_tail:  # "Báo An Bình | điện tử": a lower-case tail the names go on with
                j += n_tail
                end = j
                continue
            if tok.isalpha() and tok.islower() and _object_head_in(tokens, i, j) \
                    and key(tok) not in _stop_keys() and not _phrase_at(tokens, j, "object_ends") \
                    and not _ends_in_place_level(tokens, j):
                # "Trung tâm Quản lý | đất đai tỉnh": the object of the function the name holds
                j += 1
                end = j
                words += 1
                continue
            break
        if gz_end > end:
            end = gz_end
        spans.append((tokens[i][1], tokens[end - 1][2]))
        i = max(end, i + 1)
        if second:
            spans.append((tokens[second[0]][1], tokens[second[1] - 1][2]))
            i = second[1]
    return tuple(spans)


@lru_cache(maxsize=1)
def _stop_keys() -> frozenset[str]:
    return frozenset(key(w) for w in load_patterns("agencies")["stop_words"])


@lru_cache(maxsize=None)
def _phrases(name: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(v.split()) for v in load_patterns("agencies")[name])


def _phrase_at(tokens: list[tuple[str, int, int]], j: int, name: str) -> int:
    """How many tokens from ``j`` are a phrase of agencies.json ``name`` (lower case; 0 for none)."""
    words = tuple(t[0].lower() for t in tokens[j:j + 4])
    return next((len(t) for t in _phrases(name) if words[:len(t)] == t), 0)


def _name_tail(tokens: list[tuple[str, int, int]], j: int) -> int:
    """How many tokens from ``j`` are a lower-case tail names go on with ("điện tử"; 0 for none)."""
    words = tuple(t[0].lower() for t in tokens[j:j + 3])
    return next((len(t) for t in _phrases("name_tails") if words[:len(t)] == t), 0)


def _object_head_in(tokens: list[tuple[str, int, int]], start: int, j: int) -> bool:
    """Whether the name ``tokens[start:j]`` holds a capitalised function that takes an object
    ("Ban Quản lý …", "Văn phòng Đăng ký …") and has gone on since only in lower case."""
    for k in range(j - 1, start - 1, -1):
        if any(tuple(t[0] for t in tokens[k:k + len(h)]) == h for h in _phrases("object_heads")):
            return True
        if tokens[k][0][:1].isupper() or not tokens[k][0].isalpha() and tokens[k][0] != "và":
            return False
    return False


def _proper_name_before(tokens: list[tuple[str, int, int]], head_end: int, j: int) -> bool:
    """``tokens[j - 2:j]`` are two capitalised syllables after the head, a proper name written
    whole ("Báo An Bình", "Ủy ban nhân dân huyện Phú Lộc"): a lower-case word after them is no
    second syllable of the last ("Báo An Bình | đưa tin …"), as it is after one ("Công nghệ")."""
    return j - 2 >= head_end and all(t[0][:1].isupper() and t[0].isalpha() and not t[0].isupper()
                                     and not is_bare_head(t[0]) for t in tokens[j - 2:j])  # ("Bộ Xây dựng")


def _function_verb_after_name(tokens: list[tuple[str, int, int]], start: int, head_end: int, j: int,
                              gz_end: int) -> bool:
    """``tokens[j:]`` open with a function word (agencies.json ``function_verbs``: "quản lý")
    after a name ``tokens[start:j]`` that is complete without it, so the word is the verb ("Công
    an tỉnh | quản lý chặt chẽ …"); after a generic body ("các đơn vị quản lý đường bộ") it
    names the body's function."""
    words = [t[0].lower() for t in tokens]
    verb = next((v for v in _phrases("function_verbs") if tuple(words[j:j + len(v)]) == v), None)
    if verb is None:
        return False
    before = words[start:j]
    if any(tuple(before[k:k + len(verb)]) == verb for k in range(len(before))):
        return True  # "Ban Quản lý các khu công nghiệp | quản lý …": a name holds its function once
    return _complete_at(tokens, start, head_end, j, gz_end)


def _ends_in_place_level(tokens: list[tuple[str, int, int]], j: int) -> bool:
    """``tokens[:j]`` end in a place level that completes a name (agencies.json
    complete_name_ends: "… tỉnh", "… các xã")."""
    return any(tuple(t[0].lower() for t in tokens[j - len(e):j]) == e
               for e in _phrases("complete_name_ends"))


def _complete_at(tokens: list[tuple[str, int, int]], start: int, head_end: int, j: int, gz_end: int) -> bool:
    """The name ``tokens[start:j]`` (its head ending at ``head_end``) is whole as written: the
    gazetteer knows it whole (``gz_end``), it ends in a capitalised word after its head ("Ủy ban
    nhân dân tỉnh An Bình") or in a place level (agencies.json complete_name_ends: "Công an
    tỉnh", "UBND các xã")."""
    if gz_end == j:
        return True
    if j - 1 >= head_end and tokens[j - 1][0][:1].isupper() and not is_bare_head(tokens[j - 1][0]):
        return True  # (a head word opens another name: "Văn phòng Ban | chỉ đạo …")
    before = [t[0].lower() for t in tokens[start:j]]
    return any(tuple(before[-len(e):]) == e for e in _phrases("complete_name_ends"))


def is_definite_name(name: str) -> bool:
    """``name`` is one particular body, whole as written (``_complete_at``) and no plural group
    ("Sở Y tế", "Công an tỉnh", "Ủy ban nhân dân huyện Phú Lộc"; not "UBND các xã", "các đơn vị
    cấp nước"): a lower-case word after it that is no name word opens its predicate, where a
    group may go on with a relative qualifier ("các xã có đồng bào …")."""
    tokens, starts = head_starts(name)
    if 0 not in starts or any(t[0].lower() in ("các", "những") for t in tokens):
        return False
    return _complete_at(tokens, 0, starts[0], len(tokens), gazetteer_spans(name).get(0, 0))


def _locality_after(tokens: list[tuple[str, int, int]], j: int) -> int:
    """Words of a locality written as a name ("Thành phố", "Tỉnh": headings.json
    ``locality_subjects``) after token ``j`` and ending the phrase (no capitalised place name
    after it), else 0."""
    words = [t[0] for t in tokens[j + 1:j + 4]]
    for name in load_patterns("headings")["locality_subjects"]:
        parts = name.split()
        n = len(parts)
        if words[:n] == parts:
            if len(words) > n and words[n][:1].isupper():
                return 0  # "của Thành phố Hồ Chí Minh": a place's name follows
            return n
    return 0


#: a body's role in brackets after its name ("Sở X (Cơ quan Thường trực về Phòng, chống thiên tai)")
#: is no part of the name; a name in brackets ("Nhà đầu tư (Tập đoàn Đèo Cả)") is
_ROLE_IN_BRACKETS = re.compile(r"\s*\((?:[Cc]ơ quan|[Đđ]ơn vị) (?:[Tt]hường trực|[Cc]hủ trì|[Đđ]ầu mối)[^()]*\)\s*$")

@lru_cache(maxsize=1)
def _defined_term() -> re.Pattern:
    """A short name defined in brackets after a body ("(sau đây gọi là cơ sở đào tạo)",
    agencies.json ``defined_term_openings``): no part of the name."""
    openings = "|".join(re.escape(o) for o in load_patterns("agencies")["defined_term_openings"])
    return re.compile(rf"\s*\((?:{openings})\b[^()]*\)", re.I)


_UNIT_WORDS = {"liên", "tỉnh", "thành", "huyện", "quận", "xã", "phường", "thị", "cấp", "các", "và", "có", "trung",
               "khu", "vực", "đặc", "trực", "thuộc"}
_SPLIT_SEMI = re.compile(r"\s*;\s*")


@lru_cache(maxsize=1)
def _shared_head_list() -> re.Pattern:
    """"Các Bộ: Quốc phòng, Công an" (also after a person's title: "Bộ trưởng các Bộ: …")."""
    titles = "|".join(sorted((re.escape(t) for t in load_patterns("agencies")["list_titles"]), key=len, reverse=True))
    return re.compile(rf"^(?:(?:{titles})\s+)?các\s+(?:\w+\s+){{0,2}}?\w+\s*:\s+[A-ZĐÀ-Ỹ]"
                      # a group of heads ("Các Bộ, cơ quan: …", "các tập đoàn, tổng công ty: …")
                      rf"|^(?:(?:{titles})\s+)?các\s+(?P<group>\w+(?:,?\s+\w+){{1,4}}?)\s*:\s+[A-ZĐÀ-Ỹ]", re.I)


def _is_shared_head_list(part: str) -> bool:
    m = _shared_head_list().match(part)
    return bool(m) and (m.group("group") is None or _bare_group(m.group("group"))) \
        and _members_of(part) is None


def _members_of(part: str) -> str | None:
    """The members after a group's ":" when each carries its own head ("các cơ quan, đơn vị: Sở Y
    tế, Sở Tài chính" -> "Sở Y tế, Sở Tài chính"): they are agencies of their own, the group only
    introduces them. None for bare members ("các Bộ: Tài chính, Xây dựng": one name)."""
    m = _GROUP_INTRO.match(part)
    if not m or not _bare_group(m.group(1)):
        return None
    after = part[m.end():]
    for member in re.split(r"\s*[,;]\s*", after):
        tokens, starts = head_starts(member)
        # a head and a name ("Sở Y tế"), not a head word alone ("Công an" of "các Bộ: Công an, …")
        if not (0 in starts and tokens[0][0][:1].isupper() and not is_bare_head(member)):
            return None
    return after


#: a plural group introducing its members: "các cơ quan, đơn vị: "
_GROUP_INTRO = re.compile(r"^[Cc]ác\s+([^:]{1,40}?)\s*:\s+(?=[A-ZĐÀ-Ỹ])")


_LOCATION = re.compile(r"(?:đóng(?:\s+quân)?\s+)?(?:trên|tại)\s+địa\s+bàn"
                       r"(?:\s+(?:tỉnh|thành phố|huyện|xã|phường|Thành phố|Tỉnh)(?=\s|$|[,;.]))?")


def only_agencies(text: str) -> bool:
    """``text`` is a list of bodies and nothing else ("Bộ Nội vụ; Bộ Tài chính", "Các bộ, cơ
    quan ngang bộ", "Ủy ban nhân dân các tỉnh, thành phố và Sở Y tế")."""
    spans = agency_spans(text)
    if not spans or spans[0][0] != 0:
        return False
    rest = text
    for a, b in reversed(spans):
        rest = rest[:a] + " " + rest[b:]
    return not re.sub(r"[\s,;]|\bvà\b", "", rest)


def _location_qualifier(tokens: list, j: int) -> int:
    """Number of tokens from ``j`` of a group's location ("trên địa bàn tỉnh", "đóng quân tại
    địa bàn", "tại địa bàn tỉnh An Bình": the place's name too, up to a sentence's verb), 0 for
    none."""
    words = " ".join(t[0] for t in tokens[j:j + 7])
    m = _LOCATION.match(words)
    if not m:
        return 0
    n = len(m.group().split())
    if words[m.end() - 1:m.end()].isalpha() and m.group().split()[-1].lower() in ("tỉnh", "thành", "phố", "huyện",
                                                                                  "xã", "phường"):
        name = 0
        while name < 4 and j + n + name < len(tokens):
            tok = tokens[j + n + name][0]
            nxt = tokens[j + n + name + 1][0] if j + n + name + 1 < len(tokens) else ""
            if not (tok[:1].isupper() and tok.isalpha()) or key(f"{tok} {nxt}") in _sentence_openings() \
                    or key(tok) in _sentence_openings():
                break
            name += 1
        n += name
    return n


def _bare_group(piece: str) -> bool:
    """A head alone ("Tổng công ty", "các Bộ", "công ty"): it shares the qualifier of the
    generic group listed next ("Tổng công ty, công ty và các đơn vị trực thuộc Thành phố")."""
    chunks = [c for c in re.split(r"\s*,\s*|\s+và\s+", piece) if c.strip()]
    heads = _head_keys()
    return bool(chunks) and all(re.sub(r"^(?:cac|nhung) ", "", key(c)) in heads for c in chunks)


_PLACE_UNITS = frozenset({"tinh", "thanh pho", "huyen", "quan", "xa", "phuong", "thi xa", "dia phuong"})


def opens_member_list(head: str, after: str | None = None) -> bool:
    """``head`` ("... các Bộ:", "Các Bộ, cơ quan:", "các tập đoàn, tổng công ty:") opens a list of
    the group's members ("Tài chính, Xây dựng, …"), not a heading run on into its text. The
    group is heads or places alone ("các dự án:" is a topic); ``after``, the text after the ":"
    where known, opens with a member, not a sentence ("Trách nhiệm của các sở, ngành: Chủ động …")."""
    m = _LAST_GROUP.search(head)
    if not m:
        return False
    group = m.group(1)
    places = all(key(c) in _PLACE_UNITS for c in re.split(r"\s*,\s*|\s+và\s+", group) if c.strip())
    if not (_bare_group(group) or places):
        return False
    if after is not None:
        words = key(after[:60]).split()
        opener = bool(words) and (" ".join(words[:2]) in _sentence_openings() or words[0] in _sentence_openings())
        # a member's name that reads as a verb ("Xây dựng, Công Thương", "Giáo dục và Đào tạo, Y
        # tế") is followed by the next member soon; a sentence goes on
        if not words or opener and not re.match(r"(?:\S+\s+){0,4}?\S+[,;](?:\s|$)", after.lstrip()):
            return False
    return True


@lru_cache(maxsize=1)
def _sentence_openings() -> frozenset[str]:
    return frozenset(load_patterns("segment")["sentence_openings"])


#: the group after the last "các" before a ":" that ends the text
_LAST_GROUP = re.compile(r"(?:^|\s)[Cc]ác\s+((?:(?![Cc]ác\s)[^:]){1,40}?)\s*:$")


def is_bare_head(name: str) -> bool:
    """``name`` is a head word alone ("Bộ", "các Sở"): it names no particular body."""
    return re.sub(r"^(?:cac|nhung) ", "", key(name)) in _head_keys()


@lru_cache(maxsize=1)
def _head_keys() -> frozenset[str]:
    return frozenset(re.sub(r"^cac ", "", key(h)) for h in load_patterns("agencies")["heads"])


def _titled(piece: str) -> bool:
    """``piece`` opens with a person's title ("Thủ trưởng", "người đứng đầu")."""
    return key(piece).startswith(tuple(key(t) + " " for t in load_patterns("agencies")["list_titles"]))


def _known_whole(piece: str) -> bool:
    """``piece`` is one known category as a whole ("các sở, ban, ngành"): a new "các …" after it
    is another group."""
    return gazetteer_spans(piece).get(0, 0) == len(tokenize(piece)) > 0


def _generic_group(piece: str) -> bool:
    """``piece`` names a generic group (a head written in lower case after its first word:
    "Thủ trưởng các cơ quan ngang Bộ", "Thủ trưởng cơ quan"), so lower-case heads listed after
    it are more of the same group, not a new agency."""
    tokens, starts = head_starts(piece)
    inside_names = set()  # "ban" inside "Ủy ban": part of a capitalised head, no group of its own
    for idx, n in starts.items():
        if tokens[idx][0][:1].isupper():
            inside_names.update(range(idx + 1, idx + n))
    return any(idx > 0 and idx not in inside_names and tokens[idx][0][:1].islower() for idx in starts)


def _join_shared_head_parts(parts: list[str]) -> list[str]:
    """"Các Cục: Bản quyền tác giả; Xuất bản, In và Phát hành; Báo chí": the members of a
    shared-head list written with ";" stay with their head (a member names no head of its own)."""
    out: list[str] = []
    open_list = False
    for part in parts:
        part_s = part.strip(" .,:;-–")
        if open_list and part_s[:1].isupper() and 0 not in head_starts(part_s)[1] \
                and not gazetteer_spans(part_s).get(0):
            out[-1] = f"{out[-1]}; {part_s}"
            continue
        open_list = _is_shared_head_list(part_s)
        out.append(part)
    return out


def _split_shared_head_list(part: str) -> list[str]:
    """A shared-head list ends at "và" before another body: "Các sở: Nội vụ, Xây dựng và UBND các
    xã, phường" is two addressees (the members' own "và" stays: "Văn hóa, Thể thao và Du lịch")."""
    tokens, starts = head_starts(part)
    colon = next((i for i, t in enumerate(tokens) if t[0] == ":"), len(tokens))
    for idx in range(colon + 1, len(tokens)):
        if tokens[idx - 1][0].lower() == "và" and idx in starts and \
                (tokens[idx][0].isupper() or tokens[idx][0].lower() in ("các", "những")
                 or starts[idx] > 1 and tokens[idx][0][:1].isupper()):
            return [part[:tokens[idx - 1][1]].strip(" ,;"), *split_agencies(part[tokens[idx][1]:])]
    return [part]


def _collective_before_group(tokens: list[tuple[str, int, int]], idx: int, starts: dict[int, int]) -> bool:
    """A collective noun (agencies.json collective_nouns: "hệ thống") opens a plural group of
    bodies at ``idx`` ("hệ thống các cơ quan báo chí")."""
    for noun in load_patterns("agencies").get("collective_nouns", []):
        n = len(noun.split())
        words = [t[0].lower() for t in tokens[idx:idx + n + 1]]
        if words[:n] == noun.split() and words[n:] in (["các"], ["những"]) \
                and (idx + n + 1 in starts or idx + n in starts):
            return True
    return False


def split_agencies(text: str) -> list[str]:
    """Split an agency enumeration: on ``;`` always, on ``,`` / ``và`` only before a new head.

    Shared-head enumerations stay whole ("các sở, ban, ngành", "Viện, Trường").
    """
    out: list[str] = []
    text = _defined_term().sub("", text)
    for part in _join_shared_head_parts(_SPLIT_SEMI.split(text)):
        part = part.strip(" .,:;-–")
        if not part:
            continue
        members = _members_of(part)
        if members is not None:
            out.extend(split_agencies(members))
            continue
        if _is_shared_head_list(part):
            out.extend(_split_shared_head_list(part))  # "Các Bộ: Quốc phòng, Công an" is one addressee
            continue
        tokens, starts = head_starts(part)
        known = gazetteer_spans(part)
        inside = set()   # tokens inside a known name: no cut there ("Sở Văn hóa, Thể thao và Du lịch")
        for a, n in known.items():
            inside.update(range(a + 1, a + n))
        cut_points = [0]
        for idx in range(1, len(tokens)):
            prev = tokens[idx - 1][0]
            if prev not in (",",) and prev.lower() != "và":
                continue
            if idx in inside:
                continue
            if idx in known and (tokens[idx][0][:1].isupper() or known[idx] > 1) and (idx - 1) not in inside | {0} \
                    and part[cut_points[-1]:tokens[idx - 1][1]].strip(" ,;") \
                    and not (prev == "," and tokens[idx][0][:1].islower()
                             and _titled(part[cut_points[-1]:tokens[idx - 1][1]])
                             and _generic_group(part[cut_points[-1]:tokens[idx - 1][1]])) \
                    and not (prev == "," and tokens[idx][0][:1].islower()
                             and is_bare_head(part[tokens[idx][1]:tokens[idx + known[idx] - 1][2]])
                             and " cac " in f" {key(part[cut_points[-1]:tokens[idx - 1][1]])} "
                             and _generic_group(part[cut_points[-1]:tokens[idx - 1][1]])) \
                    and not (prev.lower() == "và" and _serves(part[cut_points[-1]:tokens[idx - 1][1]],
                                                               part[tokens[idx][1]:])):
                # a known body after "," / "và" starts a new agency
                cut_points.append(tokens[idx - 1][1])
                continue
            if prev.lower() == "và" and tokens[idx][0] == "các" and _phrase_at(tokens, idx + 1, "complete_name_ends") \
                    and _object_head_in(tokens, 0, idx - 1) \
                    and any(tuple(t[0].lower() for t in tokens[idx - 1 - len(e):idx - 1]) == e
                            for e in _phrases("complete_name_ends")):
                # "Ban Quản lý an toàn thực phẩm tỉnh | và các huyện": the body at the lower level
                cut_points.append(tokens[idx - 1][1])
                continue
            coll = _collective_before_group(tokens, idx, starts)
            if coll and prev.lower() == "và" and not _serves(part[cut_points[-1]:tokens[idx - 1][1]],
                                                             part[tokens[idx][1]:]):
                # "Thông tấn xã Việt Nam và hệ thống các cơ quan báo chí": a collective of a
                # group of bodies after "và" is a new agency
                cut_points.append(tokens[idx - 1][1])
                continue
            if idx not in starts and prev == "," and key(tokens[idx][0]) == "cac" and idx + 1 < len(tokens) \
                    and tokens[idx + 1][0].isalpha() and tokens[idx + 1][0].islower():
                piece = part[cut_points[-1]:tokens[idx - 1][1]].strip(" ,;")
                if key(piece).startswith("cac ") and len(piece.split()) <= 4 and "," not in piece:
                    # "Các quân khu, các tỉnh": a second plural group repeats "các", a new agency
                    cut_points.append(tokens[idx - 1][1])
                    continue
            if idx not in starts and not (key(tokens[idx][0]) in ("cac", "nhung") and idx + 1 in starts):
                continue  # ("các lực lượng vũ trang": a plural before a head starts there too)
            head_tok = tokens[idx][0]
            if idx not in starts:
                starts = {**starts, idx: 1 + starts[idx + 1]}
            # a capitalised head ("Sở ...", "Ủy ban ...") or a plural group ("các sở ...")
            # starts a new agency; "ban, ngành" inside "các sở, ban, ngành" does not.
            nxt = tokens[idx + starts[idx]][0] if idx + starts[idx] < len(tokens) else ""
            piece = part[cut_points[-1]:tokens[idx - 1][1]].strip(" ,;")
            piece_words = len(piece.split())
            if head_tok.islower() and _bare_group(piece) and not (
                    key(head_tok) in ("cac", "nhung") and _known_whole(piece)):
                continue  # "Tổng công ty, công ty và các đơn vị trực thuộc …": one group, one qualifier
            if prev.lower() == "và":
                if not _serves(piece, part[tokens[idx][1]:]):
                    cut_points.append(tokens[idx - 1][1])
            elif key(head_tok) in ("cac", "nhung") and piece and not (_titled(piece) and _generic_group(piece)):
                # "các sở, ban, ngành, các Tổng công ty …" (but a person's title governs its whole
                # list: "người đứng đầu các cơ quan chuyên môn, các đơn vị sự nghiệp …")
                cut_points.append(tokens[idx - 1][1])
            elif head_tok[:1].isupper() and (nxt[:1].isupper() or starts[idx] > 1 or head_tok.isupper()
                                             or piece_words >= 2):
                cut_points.append(tokens[idx - 1][1])
            elif head_tok.islower() and piece_words >= 3 and piece[:1].isupper() \
                    and not key(piece).startswith("cac ") and not _generic_group(piece):
                # "Ủy ban nhân dân phường, xã, đặc khu, báo, đài": a lower-case head after a
                # complete proper name starts a new (shared-head) enumeration
                cut_points.append(tokens[idx - 1][1])
        cut_points.append(len(part))
        for a, b in zip(cut_points, cut_points[1:]):
            piece = _ROLE_IN_BRACKETS.sub("", part[a:b].strip(" ,;"))
            if piece.lower().startswith("và "):
                piece = piece[3:]
            piece = piece.strip(" ,;.")
            if piece and not is_label(piece):
                out.append(piece)
    return out


def _serves(piece: str, rest: str) -> bool:
    """``piece`` is a service organ ("Văn phòng Đoàn đại biểu Quốc hội") and ``rest`` (after
    "và") a body it serves ("HĐND tỉnh"): one agency, not two."""
    pats = load_patterns("agencies")
    k, r = key(piece), key(rest)
    return any(k.startswith(key(h)) for h in pats["service_heads"]) and \
        any(r.startswith(key(b)) for b in pats["served_bodies"])


def normalize_agency(name: str) -> str:
    """One key per agency: abbreviations expanded, diacritics, punctuation and "và" dropped.

    ``Sở VHTTDL``, ``Sở Văn hóa, Thể thao và Du lịch`` and ``Sở Văn hóa Thể thao và Du lịch``
    give the same key ``so van hoa the thao du lich``.
    """
    abbrevs = load_patterns("agencies")["abbreviations"]
    words = []
    for w in name.split():
        core = w.strip(",.;:()")
        words.append(abbrevs.get(core, abbrevs.get(core.upper(), w)) if core.isupper() or "&" in core else w)
    k = key(" ".join(words))
    k = re.sub(r"\b(va|cac|co)\b", " ", k)
    k = k.replace("uy ban", "uy ban")
    return " ".join(k.split())


def expand_abbreviations(text: str) -> str:
    """``UBND tỉnh`` -> ``Ủy ban nhân dân tỉnh`` (for the issuer)."""
    abbrevs = load_patterns("agencies")["abbreviations"]
    return " ".join(abbrevs.get(w, w) if w.isupper() and w in abbrevs else w for w in text.split())


def dedupe(names: list[str]) -> list[str]:
    """Order-preserving, case-insensitive de-duplication ("có liên quan" = "liên quan")."""
    seen: set[str] = set()
    out = []
    for n in names:
        k = key(n).replace("co lien quan", "lien quan")
        if k and k not in seen:
            seen.add(k)
            out.append(n)
    return out


def clear_caches() -> None:
    """Forget per-text results (benchmarks measure cold documents)."""
    head_starts.cache_clear()
    gazetteer_spans.cache_clear()
    agency_spans.cache_clear()


def canonical_issuer(issuer: str | None, number: str | None) -> str | None:
    """The issuing body as the gazetteer writes it ("Thủ tướng chính phủ" -> "Thủ tướng Chính
    phủ"); a header that names the body only in part ("BAN CHẤP HÀNH TRUNG ƯƠNG / VĂN PHÒNG")
    is completed from the issuer code of the number ("07-KL/VPTW" -> Văn phòng Trung ương Đảng)."""
    gz = load_patterns("gazetteer")
    by_key = {key(n): n for n in gz["names"]}
    if issuer and key(issuer) in by_key:
        return by_key[key(issuer)]
    code = None
    if number and "/" in number:
        code = re.split(r"[-/]", number.split("/", 1)[1])[-1]
    body = gz["issuer_codes"].get(code) if code else None
    if body:
        cased = by_key.get(key(body))
        if cased and (not issuer or " ".join(key(body).split()[:2]) in key(issuer)):
            return cased
    return issuer
