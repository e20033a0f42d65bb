"""Round 7 of the restorer (issue 14): the mixture's batched scoring, and the review's
should-fixes of the legacy channel and of ocr mode."""

from __future__ import annotations

import numpy as np
import pytest

from vanban.normalize.lm import BOS, UNK
from vanban.normalize.restorer import get_restorer
from vanban.normalize.vietnamese import tokenize

from tests.test_normalize import SENTENCES

GENERAL_TEXT = ("Nha tho Duc Ba la mot trong nhung cong trinh kien truc noi tieng cua thanh pho, "
                "duoc nguoi Phap xay dung vao cuoi the ky muoi chin. Hang nam co rat nhieu du "
                "khach den tham quan, chup anh va nghe chuong nha tho vang len vao buoi sang.")


def _mixture():
    mixture = get_restorer().mixture
    if mixture is None:
        pytest.skip("no general model shipped")
    return mixture


@pytest.mark.parametrize("weight", [0.2, 0.5, 0.93])
def test_mixture_cost_grid_equals_cost(weight):
    lm = _mixture().with_weight(weight)
    H = lm.order - 1
    text = " ".join(SENTENCES) + " " + get_restorer().restore(GENERAL_TEXT, "stripped").text
    ids = [BOS] + [lm.index.get(t.lower(), UNK) for _, _, t in tokenize(text)]
    padded = np.array([UNK] * H + ids, dtype=np.int64)
    hist = np.stack([padded[i:i + H] for i in range(len(ids))])
    rng = np.random.default_rng(11)
    n_admin = len(lm.admin.vocab)
    # Column 0: the word that follows; then frequent words, words only the general model
    # knows (ids past the administrative vocabulary), <unk> and <s>.
    frequent = rng.choice(np.argsort(-lm.counts)[:300], size=(len(ids), 4))
    general_only = rng.integers(n_admin, len(lm.vocab), size=(len(ids), 2))
    words = np.column_stack([padded[H:], frequent, general_only, np.full(len(ids), UNK),
                             np.full(len(ids), BOS)])
    assert general_only.min() >= n_admin
    hist_odd = hist.copy()
    hist_odd[rng.random(hist.shape) < 0.15] = UNK
    hist_odd[rng.random(hist.shape) < 0.1] = rng.integers(n_admin, len(lm.vocab))
    for h in (hist, hist_odd):
        flat = lm.cost(np.repeat(h, words.shape[1], axis=0), words.reshape(-1))
        grid = lm.cost_grid(h, words)
        assert grid.shape == words.shape and grid.dtype == np.float32
        assert np.array_equal(grid.reshape(-1).view(np.uint32), flat.view(np.uint32))
    # The numbers are real: the word that follows is cheaper than frequent others, mostly.
    grid = lm.cost_grid(hist, words)
    assert (grid[:, 0] < grid[:, 1:5].mean(1)).mean() > 0.5


def test_general_text_is_decoded_by_the_mixture_with_its_grid():
    result = get_restorer().restore(GENERAL_TEXT, "stripped", with_confidence=False)
    assert result.admin_share < 0.5          # the mixture decoded it (its cost_grid)
    assert "Nhà thờ Đức Bà" in result.text and "kiến trúc nổi tiếng" in result.text


# ----------------------------------------------------------------- review should-fixes
def _unlisted_plain_words(restorer, count_ok):
    """Unmarked words of the model that the channel index does not list, whose skeleton
    has other syllables too, by their corpus count."""
    from vanban.normalize.vietnamese import skeleton
    lm, channel = restorer.lm, restorer.channel
    out = []
    for i, w in enumerate(lm.vocab):
        if i < 3 or not w.isalpha() or skeleton(w) != w or w in restorer.listed:
            continue
        if count_ok(int(lm.counts[i])) and len(restorer.skel_map.get(w, [])) > 1 \
                and not channel.lookup(w)[0]:
            out.append(w)
        if len(out) >= 5:
            break
    return out


def test_cheap_keep_of_an_unmarked_word_only_for_words_of_the_skeleton_map():
    """The 0.5-nat keep reaches a word through the skeleton map, which holds words seen twice
    (or listed): a word seen once is not in it and keeps OWN_WORD_COST."""
    from vanban.normalize.channel import OWN_WORD_COST, UNMARKED_OWN_COST
    r = get_restorer()
    if r.channel is None:
        pytest.skip("no channel model shipped")
    once = _unlisted_plain_words(r, lambda n: n == 1)
    often = _unlisted_plain_words(r, lambda n: n >= 2)
    assert once and often
    assert not any(r.lm.index[w] in r.skel_map[w] for w in once)
    for words, cost in ((once, OWN_WORD_COST), (often, UNMARKED_OWN_COST)):
        for w in words:
            slot = r.channel.slot(r, w, 0)
            assert slot.costs[slot.strings.index(w)] == cost, w
            assert len(slot.ids) > 1        # its marked siblings stay candidates


def test_ocr_mode_changes_a_word_seen_once_like_a_known_word():
    from vanban.normalize.restorer import OCR_CHANGE_COST, OCR_UNKNOWN_MARKED_COST
    from vanban.normalize.vietnamese import has_diacritics, is_well_formed, rhyme, skeleton
    r = get_restorer()
    lm = r.lm
    seen_once = [w for i, w in enumerate(lm.vocab)
                 if i > 2 and int(lm.counts[i]) == 1 and w not in r.listed and w.isalpha()
                 and has_diacritics(w) and is_well_formed(w) and rhyme(w) in r.rhymes
                 and len(r.skel_map.get(skeleton(w), [])) > 1][:5]
    assert seen_once
    for w in seen_once:
        slot = r._word_slot(w, "ocr", 0)
        assert slot.strings[0] == w and set(slot.costs[1:]) == {OCR_CHANGE_COST}, w
    # A word the model never saw, marked the Vietnamese way, keeps the higher cost.
    slot = r._word_slot("pắn", "ocr", 0)
    assert lm.index.get("pắn", UNK) == UNK and set(slot.costs[1:]) == {OCR_UNKNOWN_MARKED_COST}


def test_capitals_then_digits_stay_a_code_before_any_lower_case_reading():
    """The code rule runs before the lower-case lookup on purpose: the index lists lower-case
    spellings with digits as readings of lower-case words ("nh4" for "nhã"), which say
    nothing about a token in capitals; capital spellings it lists ("TH6") are still read."""
    r = get_restorer()
    if r.channel is None:
        pytest.skip("no channel model shipped")
    assert r.channel.lookup("nh4")[0] and not r.channel.lookup("NH4")[0]
    slot = r.channel.slot(r, "NH4", 0)
    assert slot.strings == ["nh4"]
    listed = [k for k in ("TH6", "CH6", "KH6") if r.channel.lookup(k)[0]]
    assert listed
    for k in listed:
        assert len(r.channel.slot(r, k, 0).ids) > 1
    text = "Nồng độ NH4 và NO2 trong nước thải vượt quy chuẩn."
    assert get_restorer().restore(text, "legacy", with_confidence=False).text == text


def test_legacy_mode_decodes_with_its_wider_beam(monkeypatch):
    import vanban.normalize.restorer as restorer_module
    from vanban.normalize.decoder import BEAM
    beams = []
    real = restorer_module.decode

    def spy(lm, segments, beam=BEAM, pairs=None):
        beams.append(beam)
        return real(lm, segments, beam=beam, pairs=pairs)
    monkeypatch.setattr(restorer_module, "decode", spy)
    r = get_restorer()
    assert r.restore("Ke hoach thuc hien", "stripped").text == "Kế hoạch thực hiện"
    assert beams[0] == BEAM
    beams.clear()
    out = r.restore("Ké hoach thuc hién nhiém vu nam 2026", "legacy", with_confidence=False)
    assert beams[0] == restorer_module.LEGACY_BEAM > BEAM
    assert out.text.startswith("Kế hoạch thực hiện nhiệm vụ")


def test_legacy_heading_numeral_with_small_l_reads_as_roman():
    r = get_restorer()
    text = "Ill. MUC TIEU\nIl) Nhiém vu\nDiéu Ill khong"
    out = r.restore(text, "legacy", with_confidence=False).text.split("\n")
    assert out[0].startswith("III. ") and out[1].startswith("II) ")
    # Not at the start of a line before "." or ")": not a heading's numeral.
    assert "III" not in out[2]
    # Other modes leave it alone.
    assert r.restore("Ill. Muc tieu", "stripped").text.startswith("Ill.")


def test_legacy_misread_roman_needs_two_or_three_letters():
    r = get_restorer()
    out = r.restore("IlII. MUC TIEU", "legacy", with_confidence=False).text
    assert not out.startswith("IIII")  # four I's: no heading numeral


def test_legacy_misread_roman_is_not_read_between_arabic_section_numbers():
    """ "Il." after "10." (or before "12.") counts on in Arabic: it is "11.", not "II."; after
    "I." and its numbered items it is still the next Roman heading."""
    r = get_restorer()
    arabic = "10. So Y té chu tri\nIl. So Giao duc va Dao tao phdi hop\n12. UBND cac huyén"
    lines = r.restore(arabic, "legacy", with_confidence=False).text.split("\n")
    assert lines[1].startswith("Il. ") and lines[2].startswith("12. ")
    lines = r.restore("Il. So Tai chinh\n12. UBND cac huyén", "legacy",
                      with_confidence=False).text.split("\n")
    assert lines[0].startswith("Il. ")
    roman = "I. MUC TIEU\n1. Muc dich\n2. Yéu cau\nIl. NHIEM VU"
    lines = r.restore(roman, "legacy", with_confidence=False).text.split("\n")
    assert lines[3].startswith("II. ")
