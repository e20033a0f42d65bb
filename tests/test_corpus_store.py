"""The corpus store: round trips, folded full-text search, query filters, export formats."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from vanban.corpus import COLUMNS, Store, fold, fold_key, fts_query, province_of
from tests.support.synthetic import synthetic_record, synthetic_text
from vanban.errors import StoreError
from vanban.model import Objective, PlanRecord, Reference, Section, Target, Task

LIBRARY_TEXT = (
    "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG\nSố: 215/KH-UBND\nKẾ HOẠCH\n"
    "Phát triển hệ thống thư viện trên địa bàn tỉnh Hà Giang\n"
    "Căn cứ Quyết định số 208/QĐ-TTg ngày 27/01/2014 của Thủ tướng Chính phủ;\n"
    "Đến năm 2030, 100% thư viện cấp huyện được kết nối.\n\f"
    "Đường truyền internet tới các điểm bưu điện văn hóa xã được nâng cấp.\n")


def library_record() -> PlanRecord:
    return PlanRecord(
        id="kh-215-ha-giang",
        document={"type": "Kế hoạch", "number": "215/KH-UBND",
                  "issuer": "Ủy ban nhân dân tỉnh Hà Giang", "place": "Hà Giang",
                  "date": "2024-06-12", "title": "Phát triển hệ thống thư viện trên địa bàn tỉnh "
                  "Hà Giang", "period": "2024-2030"},
        legal_bases=["208/QĐ-TTg"],
        references=[Reference(number="208/QĐ-TTg", kind="Quyết định", date="2014-01-27",
                              issuer="Thủ tướng Chính phủ", basis="Căn cứ",
                              text="Căn cứ Quyết định số 208/QĐ-TTg ngày 27/01/2014")],
        purposes=["Đổi mới hoạt động của hệ thống thư viện."],
        objectives=[
            Objective(scope="general", text="Xây dựng hệ thống thư viện hiện đại."),
            Objective(scope="specific", text="Đến năm 2030, 100% thư viện cấp huyện được kết nối.",
                      targets=[Target(value=100, unit="%", year=2030, text="100%")],
                      group="Đối với hệ thống thư viện"),
            Objective(scope="specific", text="Đến năm 2027, xây dựng mới 25 thư viện trường học.",
                      targets=[Target(value=25, unit="thư viện", year=2027)]),
        ],
        tasks=[
            Task(path="III.1", title="Hoàn thiện cơ chế, chính sách phát triển thư viện",
                 text="Rà soát, đề xuất cơ chế hỗ trợ kinh phí cho thư viện cộng đồng.",
                 lead=["Sở Văn hóa, Thể thao và Du lịch"], partners=["Sở Tài chính"],
                 lead_ids=["so-vhttdl"], timeframe="Năm 2024"),
            Task(path="III.2", title="Chuyển đổi số trong hoạt động thư viện",
                 text="Số hóa tài liệu địa chí, xây dựng cơ sở dữ liệu dùng chung.",
                 lead=["Thư viện tỉnh"], partners=["Sở Khoa học và Công nghệ", "Sở Tài chính"],
                 timeframe="Thường xuyên"),
        ],
        implementation=["Sở Văn hóa, Thể thao và Du lịch chủ trì, theo dõi, đôn đốc."],
        sections=[Section(path="I", marker="I.", heading="MỤC ĐÍCH, YÊU CẦU", role="purposes",
                          level=1),
                  Section(path="III", marker="III.", heading="NHIỆM VỤ, GIẢI PHÁP", role="tasks",
                          level=1)],
        signature={"title": "PHÓ CHỦ TỊCH", "name": "Nguyễn Văn Bình"},
        provenance={"source": "kh-215.txt", "sha256": "a" * 64})


def other_record() -> PlanRecord:
    return PlanRecord(
        id="ct-7-dong-thap",
        document={"type": "Chỉ thị", "number": "07/CT-UBND",
                  "issuer": "Ủy ban nhân dân tỉnh Đồng Tháp", "place": "Đồng Tháp",
                  "date": "2025-03-01", "title": "Tăng cường phòng, chống dịch bệnh",
                  "period": None},
        legal_bases=["32/CT-TTg"],
        objectives=[Objective(scope="specific", text="Năm 2025, 95% hộ gia đình được tuyên truyền.",
                              targets=[Target(value=95, unit="%", year=2025)])],
        tasks=[Task(path="II.1", title="Đẩy mạnh tuyên truyền phòng bệnh",
                    lead=["Sở Y tế"], partners=["Sở Tài chính"])],
        provenance={"source": "ct-07.txt", "sha256": "b" * 64})


@pytest.fixture()
def store(tmp_path):
    with Store(tmp_path / "corpus.db") as s:
        s.add(library_record(), text=LIBRARY_TEXT, pages=2, text_source="text")
        s.add(other_record().to_dict(), text="Tăng cường phòng, chống dịch bệnh tại Đồng Tháp")
        yield s


# ------------------------------------------------------------------------------- folding
def test_fold_strips_marks_and_d_bar_keeping_length():
    assert fold("Thư viện ĐỒNG THÁP đạt chuẩn") == "thu vien dong thap dat chuan"
    text = "Quyết định số 208/QĐ-TTg của Ủy ban"
    assert len(fold(text)) == len(text)
    assert fold_key("208 / QĐ-TTG") == fold_key("208/qđ-ttg") == "208/qd-ttg"
    # NFD input (combining marks) folds like NFC input
    import unicodedata
    assert fold(unicodedata.normalize("NFD", "Ủy ban")) == "uy ban"


def test_fts_query_quotes_words_and_keeps_operators():
    assert fts_query("thư viện") == '"thu" "vien"'
    assert fts_query('"kinh tế" OR xã*') == '"kinh te" OR "xa"*'
    assert fts_query("208/QĐ-TTg") == '"208 qd ttg"'
    assert fts_query(" - / ") == ""


def test_province_of_issuer_and_place():
    assert province_of("Ủy ban nhân dân tỉnh Đồng Tháp") == "Đồng Tháp"
    assert province_of("Ủy ban nhân dân thành phố Cần Thơ") == "Cần Thơ"
    assert province_of("Bộ Y tế", "Hà Nội") == "Hà Nội"
    assert province_of(None, None) is None


# ----------------------------------------------------------------------------- round trip
def test_record_round_trip_and_readable_tables(store):
    rec = library_record().to_dict()
    assert store.record("a" * 64) == json.loads(json.dumps(rec, ensure_ascii=False))
    assert PlanRecord.from_dict(store.record("a" * 64)) == library_record()
    doc = store.query("document", document_id="a" * 64)[0]
    assert doc["number"] == "215/KH-UBND" and doc["province"] == "Hà Giang"
    assert doc["year"] == 2024 and doc["pages"] == 2 and doc["n_targets"] == 2
    assert doc["n_tasks"] == 2 and doc["signer_name"] == "Nguyễn Văn Bình"
    assert store.stats() == {"documents": 2, "sections": 2, "objectives": 4, "targets": 3,
                             "tasks": 3, "agencies": 5, "references": 1, "errors": 0}
    tasks = store.query("task", document_id="a" * 64)
    assert [t["path"] for t in tasks] == ["III.1", "III.2"]
    assert tasks[1]["partners"] == "Sở Khoa học và Công nghệ; Sở Tài chính"
    assert tasks[0]["lead_ids"] == "so-vhttdl"  # extract's id kept
    assert tasks[1]["partner_ids"] == "so-khoa-hoc-va-cong-nghe; so-tai-chinh"
    targets = store.query("target", document_id="a" * 64)
    assert [(t["value"], t["unit"], t["year"]) for t in targets] == [(100, "%", 2030),
                                                                      (25, "thư viện", 2027)]
    assert isinstance(targets[0]["value"], int)


def test_add_is_idempotent_and_replace_rewrites(store):
    before = store.stats()
    assert store.add(library_record(), text=LIBRARY_TEXT) is False
    assert store.stats() == before
    changed = library_record()
    changed.document["title"] = "Tiêu đề mới"
    assert store.add(changed, text=LIBRARY_TEXT, replace=True) is True
    assert store.stats() == before
    assert store.query("document", document_id="a" * 64)[0]["title"] == "Tiêu đề mới"
    assert len(store.search("tieu de moi")) == 1


def test_remove_deletes_every_row(store):
    store.remove("a" * 64)
    assert store.document_ids() == {"b" * 64}
    assert store.search("thu vien") == []
    for table in ("objectives", "targets", "tasks", "task_agencies", "sections", '"references"',
                  "records", "texts", "legal_bases"):
        n = store.conn.execute(f"SELECT count(*) FROM {table} WHERE document_id = ?",
                               ("a" * 64,)).fetchone()[0]
        assert n == 0, table


def test_errors_are_recorded_and_cleared_by_a_later_success(tmp_path):
    with Store(tmp_path / "c.db") as s:
        s.add_error("kh-215.txt", "empty file (0 bytes)", exit_code=3)
        s.add_error("kh-215.txt", "binary data, not text", exit_code=3)
        [row] = s.errors()
        assert row["reason"] == "binary data, not text" and row["attempts"] == 2
        s.add(library_record(), source="kh-215.txt")
        assert s.errors() == []


def test_readonly_store_needs_an_existing_file(tmp_path):
    with pytest.raises(StoreError) as info:
        Store(tmp_path / "missing.db", readonly=True)
    assert str(info.value) == f"{tmp_path / 'missing.db'}: no such corpus database"
    assert info.value.exit_code == 6
    assert not (tmp_path / "missing.db").exists()


# --------------------------------------------------------------------------------- search
def test_search_folds_diacritics_and_d_bar(store):
    hits = store.search("thu vien")
    assert hits and all("thư viện" in h["text"].lower() for h in hits)
    assert {h["kind"] for h in hits} >= {"title", "objective", "task"}
    assert "[thư viện]" in hits[0]["snippet"].lower()
    # đ folds to d on both sides: "duong truyen" finds "Đường truyền", "đường" finds it too
    for q in ("duong truyen", "Đường truyền", "ĐUONG"):
        hits = store.search(q)
        assert [h["ref"] for h in hits] == ["p2:1"], q
        assert hits[0]["snippet"].startswith("[Đường truyền]") or q == "ĐUONG"


def test_search_ranks_restricts_and_dedupes(store):
    hits = store.search("thư viện", kind="objective")
    assert {h["kind"] for h in hits} == {"objective"} and len(hits) == 3
    scores = [h["score"] for h in store.search("thư viện")]
    assert scores == sorted(scores, reverse=True)
    # the document-text paragraph that repeats the objective is not listed twice
    texts = [h["text"] for h in store.search('"100% thu vien cap huyen"')]
    assert texts == ["Đến năm 2030, 100% thư viện cấp huyện được kết nối."]
    assert store.search("208/QĐ-TTg")[0]["document_number"] == "215/KH-UBND"
    either = store.search("dich benh OR chuyen doi so", limit=10)
    assert {h["document_number"] for h in either} == {"215/KH-UBND", "07/CT-UBND"}
    prefixed = store.search("thu*", kind="task")
    assert prefixed and all(h["kind"] == "task" and re.search(r"\bthu", fold(h["text"]))
                            for h in prefixed)
    assert store.search("khongcotu") == []


def test_snippet_windows_long_text(tmp_path):
    long_text = " ".join(["Nội dung dài"] * 60) + " trọng tâm thư viện số " + \
        " ".join(["kết thúc"] * 60)
    with Store(tmp_path / "c.db") as s:
        s.add(library_record(), text=long_text)
        [hit] = s.search("thu vien so", kind="text")
        assert hit["snippet"].startswith("…") and hit["snippet"].endswith("…")
        assert "[thư viện số]" in hit["snippet"] and len(hit["snippet"]) < 200


# ---------------------------------------------------------------------------------- query
def test_query_filters(store):
    assert [r["number"] for r in store.query()] == ["215/KH-UBND", "07/CT-UBND"]
    assert [r["number"] for r in store.query(province="dong thap")] == ["07/CT-UBND"]
    assert [r["number"] for r in store.query(doc_type="chi thi")] == ["07/CT-UBND"]
    assert [r["number"] for r in store.query(doc_type="Kế hoạch")] == ["215/KH-UBND"]
    assert [r["number"] for r in store.query(year=2025)] == ["07/CT-UBND"]
    assert [r["number"] for r in store.query(cites="208/QĐ-TTg")] == ["215/KH-UBND"]
    assert [r["number"] for r in store.query(cites="208/qd-ttg")] == ["215/KH-UBND"]
    assert [r["number"] for r in store.query(cites="32/CT-TTg")] == ["07/CT-UBND"]
    assert store.query(cites="999/QĐ-TTg") == []
    tasks = store.query("task", agency="Sở Tài chính")
    assert [(t["document_number"], t["path"]) for t in tasks] == [
        ("215/KH-UBND", "III.1"), ("215/KH-UBND", "III.2"), ("07/CT-UBND", "II.1")]
    assert [t["path"] for t in store.query("task", agency="thu vien tinh")] == ["III.2"]
    assert [t["path"] for t in store.query("task", agency="so-vhttdl")] == ["III.1"]
    assert [d["number"] for d in store.query("document", agency="Sở Y tế")] == ["07/CT-UBND"]
    assert [t["year"] for t in store.query("target", year=2030)] == [2030]
    assert [t["value"] for t in store.query("target", province="Đồng Tháp")] == [95]
    assert [o["seq"] for o in store.query("objective", cites="208/QĐ-TTg")] == [1, 2, 3]
    assert len(store.query("objective", limit=2)) == 2
    assert [r["number"] for r in store.query("reference")] == ["208/QĐ-TTg"]
    items = store.query("item", document_id="a" * 64)
    assert [(i["kind"], i["seq"]) for i in items] == [("implementation", 1), ("purpose", 1)]
    for kind, columns in COLUMNS.items():
        for row in store.query(kind):
            assert list(row) == columns


def test_query_and_the_web_view_filter_alike(store):
    """`vanban query` matched a province as a folded substring and an agency by the folded
    substring of each row's own spelling; the web matched provinces exactly and agencies by
    their ids. Both now use Store.document_conditions: a province is equal once folded, an
    agency names the ids one of whose spellings contains it (or that it is a key of)."""
    from vanban.web import CorpusView, Filters
    assert store.query(province="thap") == []  # a part of "Đồng Tháp" is not the province
    assert [r["number"] for r in store.query(province="  DONG   thap ")] == ["07/CT-UBND"]
    view = CorpusView(store.path)

    def web_ids(**f) -> set[str]:
        return {r["document_id"] for r in view.documents(Filters(**f))[0]}

    def cli_ids(**f) -> set[str]:
        return {r["document_id"] for r in store.query("document", **f)}

    for province in ("dong thap", "Hà Giang", "thap", "ha"):
        assert web_ids(province=province) == cli_ids(province=province), province
    for kind in ("chi thi", "Kế hoạch", "ke"):
        assert web_ids(kind=kind) == cli_ids(doc_type=kind), kind
    assert web_ids(year=2025) == cli_ids(year=2025)
    for agency in ("Sở Tài chính", "tai chinh", "thu vien tinh", "so-vhttdl", "Sở Y tế",
                   "khong co"):
        web_tasks = {(t["document_id"], t["seq"]) for t in view.tasks(Filters(agency=agency))[0]}
        cli_tasks = {(t["document_id"], t["seq"]) for t in store.query("task", agency=agency)}
        assert web_tasks == cli_tasks, agency
        # documents: the web's "Lead agency" facet filters on leads, query on every role
        assert web_ids(agency=agency) <= cli_ids(agency=agency), agency
    assert web_ids(agency="Sở Tài chính") == set()  # a partner only, never a lead here
    assert len(cli_ids(agency="Sở Tài chính")) == 2
    view.store.close()


# --------------------------------------------------------------------------------- export
def test_export_jsonl_whole_records_and_flat_rows(store):
    lines = store.export("jsonl").splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["kh-215-ha-giang", "ct-7-dong-thap"]
    assert PlanRecord.from_dict(json.loads(lines[0])) == library_record()
    only = store.export("jsonl", province="Đồng Tháp").splitlines()
    assert [json.loads(x)["id"] for x in only] == ["ct-7-dong-thap"]
    rows = [json.loads(x) for x in store.export("jsonl", kind="task").splitlines()]
    assert [list(r) for r in rows] == [COLUMNS["task"]] * 3


def test_export_csv_stable_columns(store):
    out = io.StringIO()
    assert store.export("csv", kind="target", out=out) == 3
    reader = csv.DictReader(io.StringIO(out.getvalue()))
    assert reader.fieldnames == COLUMNS["target"]
    rows = list(reader)
    assert rows[0]["unit"] == "%" and rows[0]["year"] == "2030" and rows[0]["value"] == "100"
    docs = list(csv.DictReader(io.StringIO(store.export("csv"))))
    assert [d["number"] for d in docs] == ["215/KH-UBND", "07/CT-UBND"]
    with pytest.raises(ValueError):
        store.export("xml")


# --------------------------------------------------------------------- plain SQLite reader
def test_database_reads_without_vanban(store):
    """What Datasette or the sqlite3 shell sees: plain tables and a working FTS5 index."""
    conn = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "sections", "objectives", "targets", "tasks", "agencies",
            "task_agencies", "references", "errors", "records", "search_index"} <= tables
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = conn.execute("SELECT document_id, kind FROM search_index WHERE search_index MATCH "
                        "'thu vien' ORDER BY rank").fetchall()
    assert rows and rows[0][0] == "a" * 64
    for table in tables:
        conn.execute(f'SELECT * FROM "{table}"').fetchall()
    conn.close()


def test_synthetic_records_store_and_search(tmp_path):
    with Store(tmp_path / "c.db") as s:
        for i in range(30):
            rec = synthetic_record(i)
            assert s.add(rec, text=synthetic_text(rec))
        assert s.stats()["documents"] == 30
        # every synthetic document says "tỉnh": each is found, and only stored ones
        hits = s.search("tinh", per_document=True, limit=100)
        assert {h["document_id"] for h in hits} == s.document_ids()


def test_search_per_document(store):
    hits = store.search("thu vien", per_document=True)
    assert [h["document_number"] for h in hits] == ["215/KH-UBND"]
    assert hits[0]["matches"] >= 5 and hits[0]["score"] == store.search("thu vien")[0]["score"]
    both = store.search("tang cuong OR thu vien", per_document=True)
    assert {h["document_number"] for h in both} == {"215/KH-UBND", "07/CT-UBND"}


def test_cli_export_to_a_path_that_cannot_be_written(store, tmp_path):
    from click.testing import CliRunner

    from vanban.cli import main
    out = tmp_path / "no-such-folder" / "records.jsonl"
    result = CliRunner().invoke(main, ["export", "--db", str(store.path), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert f"{out}: -o: no such folder {out.parent}" in result.stderr


# ---------------------------------------------------------------------- schema versions
#: A store file as vanban wrote it at store schema version 1 (commit 1bf614c, before migrations
#: existed), holding the two records of the ``store`` fixture; gzipped. Never rewrite it.
V1_STORE = Path(__file__).parent / "fixtures" / "store-v1.db.gz"


def _tables_and_indexes(path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {(t, n) for t, n in conn.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'search_index_%'")}
    finally:
        conn.close()


def _all_rows(path) -> dict[str, list]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [n for _, n in sorted(_tables_and_indexes(path)) if _ == "table" and n != "meta"]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
                for n in names + ["search_index"]}
    finally:
        conn.close()


def _version_1_store(path) -> None:
    """A copy of the version-1 store file at ``path``."""
    with gzip.open(V1_STORE, "rb") as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)


def test_a_version_1_store_opens_migrates_and_keeps_its_rows(store, tmp_path):
    from vanban.corpus.store.schema import MIGRATIONS, STORE_SCHEMA_VERSION
    store.close()
    old = tmp_path / "v1.db"
    _version_1_store(old)
    rows_before = _all_rows(old)
    assert rows_before["documents"] and rows_before["search_index"]
    assert ("index", "documents_date") not in _tables_and_indexes(old)
    # read-only: read as it is, not migrated
    with Store(old, readonly=True) as ro:
        assert ro.schema_version == 1
        assert {h["document_number"] for h in ro.search("thu vien")} == {"215/KH-UBND"}
    assert sqlite3.connect(old).execute("SELECT value FROM meta").fetchone() == ("1",)
    # opened for writing: migrated to the current version, every row kept
    with Store(old) as migrated:
        assert migrated.schema_version == 1  # as it was opened
        assert {h["document_number"] for h in migrated.search("thu vien")} == {"215/KH-UBND"}
        assert [r["number"] for r in migrated.query("document")] == ["215/KH-UBND", "07/CT-UBND"]
    assert sqlite3.connect(old).execute("SELECT value FROM meta").fetchone() == (
        str(STORE_SCHEMA_VERSION),)
    _assert_rows_kept_with_number_keys(old, rows_before)
    # the migrated file has exactly the tables and indexes of a store made new
    assert _tables_and_indexes(old) == _tables_and_indexes(store.path)
    assert _columns(old) == _columns(store.path)
    with Store(old) as again:  # a second open has nothing to do
        assert again.schema_version == STORE_SCHEMA_VERSION
    assert [m.version for m in MIGRATIONS] == list(range(2, STORE_SCHEMA_VERSION + 1))


def _columns(path) -> dict[str, list[str]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [n for t, n in _tables_and_indexes(path) if t == "table"]
        return {n: [c[1] for c in conn.execute(f'PRAGMA table_info("{n}")')] for n in names}
    finally:
        conn.close()


def _assert_rows_kept_with_number_keys(path, rows_before) -> None:
    """Every row as it was; documents gained (version 3) their folded ``number_key``."""
    after = _all_rows(path)
    assert {k: v for k, v in after.items() if k != "documents"} == \
        {k: v for k, v in rows_before.items() if k != "documents"}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        keys = dict(conn.execute("SELECT id, number_key FROM documents"))
        numbers = dict(conn.execute("SELECT id, number FROM documents"))
    finally:
        conn.close()
    assert sorted(row[:-1] for row in after["documents"]) == sorted(rows_before["documents"])
    assert keys == {i: fold_key(n) or None for i, n in numbers.items()} and all(keys.values())


V2_STORE = Path(__file__).parent / "fixtures" / "store-v2.db.gz"


def test_a_version_2_store_migrates_to_number_keys_and_its_citations_still_link(store, tmp_path):
    """``tests/fixtures/store-v2.db.gz``: a store written by vanban at version 2 (commit
    5c84d2e's code; the Hà Giang plan 215/KH-UBND and a Tuyên Quang plan citing it). Read as
    it is, its citations are found by folding every number; migrated to version 3, through
    the indexed ``documents.number_key``, with the same answer."""
    from vanban.corpus.store.schema import STORE_SCHEMA_VERSION
    from vanban.web import CorpusView, Filters
    store.close()
    old = tmp_path / "v2.db"
    with gzip.open(V2_STORE, "rb") as src, open(old, "wb") as dst:
        shutil.copyfileobj(src, dst)
    rows_before = _all_rows(old)
    assert "number_key" not in _columns(old)["documents"]

    def links(db) -> dict[str, tuple[list, list]]:
        view = CorpusView(db)
        out = {}
        for row in view.documents(Filters())[0]:
            found = view.citations(row["document_id"])
            out[row["number"]] = ([d["number"] for d in found["cites"]],
                                  [d["number"] for d in found["cited_by"]])
        view.store.close()
        return out

    expected = {"88/KH-UBND": (["215/KH-UBND"], []), "215/KH-UBND": ([], ["88/KH-UBND"])}
    with Store(old, readonly=True) as ro:
        assert ro.schema_version == 2
    assert links(old) == expected  # read as it is (the view opens it read-only)
    assert "number_key" not in _columns(old)["documents"]
    with Store(old) as migrated:
        assert migrated.schema_version == 2  # as it was opened
        assert migrated.query("document", cites="215/kh-ubnd")[0]["number"] == "88/KH-UBND"
    assert sqlite3.connect(old).execute("SELECT value FROM meta").fetchone() == (
        str(STORE_SCHEMA_VERSION),)
    _assert_rows_kept_with_number_keys(old, rows_before)
    assert _tables_and_indexes(old) == _tables_and_indexes(store.path)
    assert _columns(old) == _columns(store.path)
    plan = sqlite3.connect(f"file:{old}?mode=ro", uri=True).execute(
        "EXPLAIN QUERY PLAN SELECT id FROM documents WHERE number_key = ?", ("x",)).fetchall()
    assert any("documents_number_key" in str(step) for step in plan)
    assert links(old) == expected  # through the index now


@pytest.mark.parametrize("version", ["99", "not-a-number"])
def test_a_store_newer_than_this_vanban_is_refused_untouched(tmp_path, version):
    from click.testing import CliRunner

    from vanban.cli import main
    path = tmp_path / "newer.db"
    with Store(path) as s:
        s.add(library_record(), text=LIBRARY_TEXT)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'store_schema_version'", (version,))
    conn.close()
    before = (path.read_bytes(), sorted(p.name for p in tmp_path.iterdir()))
    for readonly in (False, True):
        with pytest.raises(StoreError, match="store schema version .*does not know") as err:
            Store(path, readonly=readonly)
        assert "upgrade vanban" in str(err.value) and "\n" not in str(err.value)
    result = CliRunner().invoke(main, ["query", "--db", str(path)])
    assert result.exit_code == 6 and "upgrade vanban" in result.stderr
    assert result.stderr.count("\n") == 1
    assert (path.read_bytes(), sorted(p.name for p in tmp_path.iterdir())) == before


def test_rows_are_inserted_by_column_name(store):
    """A document row's values land in their named columns (no positional insert)."""
    row = store.conn.execute("SELECT * FROM documents WHERE number = '215/KH-UBND'").fetchone()
    assert (row["doc_type"], row["province"], row["year"], row["period"]) == (
        "Kế hoạch", "Hà Giang", 2024, "2024-2030")
    assert (row["signer_title"], row["signer_name"], row["n_tasks"], row["n_targets"]) == (
        "PHÓ CHỦ TỊCH", "Nguyễn Văn Bình", 2, 2)
    assert (row["pages"], row["text_source"], row["file_name"]) == (2, "text", "kh-215.txt")
    from vanban import __version__
    assert row["vanban_version"] == __version__ and row["record_schema_version"]
