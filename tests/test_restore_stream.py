"""Long texts restored piece by piece are prepared (encoding, Unicode hygiene) once."""

from __future__ import annotations

import vanban.normalize as normalize
from vanban.normalize import restore_text
from vanban.normalize.encodings import convert_legacy_encoding, unicode_to_tcvn3
from vanban.pipeline import restore_stream, text_pieces

SENTENCE = ("Ủy ban nhân dân tỉnh Sơn La ban hành Kế hoạch thực hiện Đề án đẩy mạnh học tập "
            "suốt đời giai đoạn 2025 - 2030.\n")


def _legacy_text() -> str:
    """A TCVN3 text with a zero-width space and a decomposed letter in each line."""
    lines = [unicode_to_tcvn3(SENTENCE).replace("ban", "b\u200ban", 1) + "Khoa\u0301 mới\n"
             for _ in range(60)]
    return "".join(lines)


def test_a_long_text_is_prepared_once_and_restored_as_before(monkeypatch):
    text = _legacy_text()
    # The output before: the encoding converted on the whole text, then each piece restored
    # (and prepared again) on its own.
    converted, encoding = convert_legacy_encoding(text)
    before = "".join(restore_text(piece, "ocr", with_confidence=False).text
                     for _, piece in text_pieces(converted, 2000))
    calls = []
    real = normalize.convert_legacy_encoding
    monkeypatch.setattr(normalize, "convert_legacy_encoding",
                        lambda t, *a: calls.append(len(t)) or real(t, *a))
    streamed = list(restore_stream(text, "auto", chunk_chars=2000))
    assert len(streamed) > 3 and len(calls) == 1
    assert "".join(r.text for _, r in streamed) == before
    assert {r.encoding for _, r in streamed} == {encoding} and encoding == "tcvn3"
    assert all(r.mode == "ocr" for _, r in streamed)


def test_prepared_text_is_taken_as_is(monkeypatch):
    prepared, encoding = normalize.prepare_text(unicode_to_tcvn3(SENTENCE))
    assert encoding == "tcvn3" and prepared == SENTENCE
    mode = normalize.detect_mode(SENTENCE)
    calls = []
    real = normalize.convert_legacy_encoding
    monkeypatch.setattr(normalize, "convert_legacy_encoding",
                        lambda t, *a: calls.append(len(t)) or real(t, *a))
    assert restore_text(prepared, "ocr", prepared=True).text == SENTENCE
    assert normalize.detect_mode(prepared, prepared=True) == mode
    assert calls == []  # neither converted nor cleaned again
    restore_text(prepared, "ocr")
    assert len(calls) == 1  # without prepared=True it is
