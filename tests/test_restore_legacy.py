"""Legacy (English-model) OCR restoration: candidates from the channel's spellings."""

from __future__ import annotations

import numpy as np
from pytest import approx

from vanban.normalize import get_restorer, restore_text
from vanban.normalize import channel as channel_mod
from vanban.normalize.channel import LegacyChannel
from vanban.normalize.lm import NUM


def _tiny_channel(restorer, entries: dict[str, list[tuple[str, float]]]) -> LegacyChannel:
    """A channel index over a few made-up spellings (costs in nats)."""
    keys = sorted(entries)
    offsets, ids, costs = [0], [], []
    for k in keys:
        for word, cost in entries[k]:
            ids.append(restorer.lm.index[word])
            costs.append(int(round(cost * 16)))
        offsets.append(len(ids))
    return LegacyChannel(np.array(keys), np.array(offsets), np.array(ids, dtype=np.int64),
                         np.array(costs, dtype=np.uint16))


def test_a_spelling_seen_for_one_tone_stands_for_the_others():
    restorer = get_restorer()
    channel = _tiny_channel(restorer, {"thirc": [("thức", 6.0)]})
    slot = channel.slot(restorer, "thirc", 0)
    cost = dict(zip(slot.strings, slot.costs))
    weight = channel_mod.CHANNEL_WEIGHT
    assert cost["thức"] == approx(6.0 * weight)
    assert cost["thực"] == approx(6.0 * weight + channel_mod.SIBLING_COST)


def test_tone_siblings_restore_a_word_the_pages_showed_for_another_tone():
    out = restore_text("Cac sé nganh thirc hién nhiém vu duoc giao", "legacy").text
    assert out == "Các sở ngành thực hiện nhiệm vụ được giao"


def test_a_short_number_is_a_word_only_where_the_words_say_so():
    restorer = get_restorer()
    channel = _tiny_channel(restorer, {"6": [("ô", 2.0)], "123": [("ô", 2.0)]})
    slot = channel.number_slot(restorer, "6", 3)
    assert slot.ids[0] == NUM and slot.strings[0] == "6" and slot.costs[0] == 0.0
    assert dict(zip(slot.strings, slot.costs))["ô"] \
        == approx(2.0 * channel_mod.CHANNEL_WEIGHT + channel_mod.DIGIT_WORD_COST)
    assert len(channel.number_slot(restorer, "123", 3).ids) == 1   # too long to be a word
    out = restore_text("Nguy co 6 nhiém mdi trudng ngay cang tang", "legacy").text
    assert out == "Nguy cơ ô nhiễm môi trường ngày càng tăng"
    kept = "Căn cứ Điều 6 của Luật này, ngày 16 tháng 6 năm 2025, gồm 16 xã và 6 phường"
    out = restore_text("Can ctr Diéu 6 cia Luat nay, ngay 16 thang 6 nam 2025, gom 16 xa va 6 "
                       "phudng", "legacy").text
    assert out == kept


def test_numbers_stay_numbers_outside_legacy_mode():
    out = restore_text("nguy co 6 nhiem moi truong", "stripped").text
    assert out.split()[2] == "6"


def test_a_lone_capital_is_the_syllable_only_where_the_words_say_so():
    out = restore_text("Lanh dao S Ndi vu, S Tai chinh va S Tu phap", "legacy").text
    assert out == "Lãnh đạo Sở Nội vụ, Sở Tài chính và Sở Tư pháp"
    out = restore_text("Nhém A gom cac xa thudc vung B, ong Nguyén V. Nam", "legacy").text
    assert out.startswith("Nhóm A gồm các xã thuộc vùng B, ông Nguyễn V.")


def test_a_damaged_channel_model_is_one_line_and_exit_4(tmp_path, monkeypatch):
    """A damaged legacy-OCR channel file (beside the n-gram models) was "internal error",
    exit 1; a damaged n-gram model already gave one line naming the file and exit 4."""
    from click.testing import CliRunner
    from vanban.cli import main
    from vanban.normalize import restorer
    broken = tmp_path / "legacy_channel.npz"
    broken.write_bytes(channel_mod.DEFAULT_CHANNEL.read_bytes()[:5000])  # cut short
    monkeypatch.setattr(channel_mod, "DEFAULT_CHANNEL", broken)
    monkeypatch.setattr(restorer, "_default", None)  # loaded by an earlier test: load again
    text = tmp_path / "in.txt"
    text.write_text("Thuc hien De an\n", encoding="utf-8")
    run = CliRunner().invoke(main, ["restore", str(text)])
    errors = [ln for ln in run.stderr.splitlines() if ln.startswith("vanban: error:")]
    assert run.exit_code == 4 and len(errors) == 1, run.output
    assert "channel model cannot be read" in errors[0] and str(broken) in errors[0]
    assert "Traceback" not in run.output
