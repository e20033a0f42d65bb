"""extract: plan records from directive texts (dev-plan fixtures, wrapped and diacritic-free
variants of them, small hand-written documents), schema, CLI, Markdown."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.records import assert_fields
from vanban.cli import main
from vanban.errors import NotADocumentError
from vanban.extract import extract_record, render_markdown
from vanban.extract.agencies import normalize_agency, split_agencies
from vanban.extract.evaluate import evaluate_records
from vanban.extract.items import parse_references, parse_targets
from vanban.model import Block, Document, Line, Page, PlanRecord, Word
from vanban.text import fold_diacritics
from vanban.schema import validate_record

FIXTURES = Path(__file__).parent / "fixtures" / "plans"
PLAN_IDS = sorted(p.stem for p in FIXTURES.glob("*.txt"))


def _gold(doc_id: str) -> dict:
    return json.loads((FIXTURES / "gold" / f"{doc_id}.json").read_text(encoding="utf-8"))


def _text(doc_id: str) -> str:
    return (FIXTURES / f"{doc_id}.txt").read_text(encoding="utf-8")


def _wrap_like_ocr(text: str, width: int = 78, lines_per_page: int = 40) -> str:
    """Render one-paragraph-per-line text the way OCR returns it: wrapped lines, pages split
    by form feeds, a page number at the top of every page from page 2, the merged header
    line split into its columns."""
    rendered: list[str] = []
    for para in text.split("\n"):
        if "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in para:
            left, rest = para.split("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1)
            rendered += textwrap.wrap(left, 30, break_on_hyphens=False) + ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
            rendered += textwrap.wrap(rest, 40, break_on_hyphens=False)
            continue
        rendered += textwrap.wrap(para, width, break_on_hyphens=False) or [""]
    pages = [rendered[i:i + lines_per_page] for i in range(0, len(rendered), lines_per_page)]
    return "\f".join("\n".join(([str(n)] if n > 1 else []) + page) for n, page in enumerate(pages, 1))


@pytest.fixture(scope="module")
def records() -> dict[str, PlanRecord]:
    return {i: extract_record(Document.from_text(_text(i), source=f"{i}.txt")) for i in PLAN_IDS}


def test_fixtures_present():
    assert len(PLAN_IDS) >= 3


@pytest.mark.parametrize("doc_id", PLAN_IDS)
def test_dev_plan_matches_gold(records, doc_id):
    gold = _gold(doc_id)
    rec = records[doc_id]
    assert rec.id == doc_id
    for field in ("type", "number", "issuer", "place", "date"):
        assert rec.document[field] == gold["document"][field], field
    assert rec.legal_bases == gold["legal_bases"]
    scores = evaluate_records({doc_id: rec.to_dict()}, {doc_id: gold})
    for field in ("purposes", "requirements", "objectives", "tasks", "implementation"):
        assert scores["fields"][field]["f1"] >= 0.9, (field, scores["fields"][field])
    if gold["tasks"]:
        assert scores["task_lead_accuracy"] >= 0.9
    assert rec.signature["title"] == gold["signature"]["title"]
    assert rec.signature["name"] == gold["signature"]["name"]
    validate_record(rec.to_dict())


def test_all_fixture_scores(records):
    golds = {i: _gold(i) for i in PLAN_IDS}
    scores = evaluate_records({i: r.to_dict() for i, r in records.items()}, golds)
    for field in ("purposes", "requirements", "objectives", "tasks"):
        assert scores["fields"][field]["f1"] >= 0.95, field
    assert scores["header_mean"] >= 0.9
    assert scores["objective_scope_accuracy"] == 1.0


@pytest.mark.parametrize("doc_id", PLAN_IDS)
def test_wrapped_ocr_shape_gives_the_same_items(records, doc_id):
    wrapped = extract_record(_wrap_like_ocr(_text(doc_id)))
    gold = _gold(doc_id)
    scores = evaluate_records({doc_id: wrapped.to_dict()}, {doc_id: gold})
    for field in ("purposes", "requirements", "objectives", "tasks", "implementation"):
        assert scores["fields"][field]["f1"] >= 0.9, (field, scores["fields"][field])
    assert_fields(wrapped.document, {"number": gold["document"]["number"], "date": gold["document"]["date"],
        "issuer": gold["document"]["issuer"]})
    # provenance of a wrapped item spans several lines on a page
    prov = wrapped.tasks[0].provenance if wrapped.tasks else wrapped.item_provenance["purposes"][0]
    assert prov and all(r["page"] >= 1 and r["line"] >= 1 for r in prov)


@pytest.mark.parametrize("doc_id", PLAN_IDS)
def test_missing_diacritics_still_finds_sections(doc_id):
    rec = extract_record(fold_diacritics(_text(doc_id)))
    gold = _gold(doc_id)
    assert len(rec.purposes) == len(gold["purposes"])
    assert len(rec.requirements) == len(gold["requirements"])
    assert len(rec.objectives) == len(gold["objectives"])
    assert [o.scope for o in rec.objectives] == [o["scope"] for o in gold["objectives"]]
    assert rec.document["date"] == gold["document"]["date"]


LEGACY_PLAN = """\
Thuc hien De an "Day manh cac hoat dong hoc tap suot doi trong cac
Thu vien, Bao tang" giai doan 2016 - 2020

Can cu Quyet dinh so 208/QD- TTg ngay 27/01/2014 cua Thu tuong
Chinh phu ve viec phe duyet De an.

I. MUC PICH - YEU CAU
1. Muc dich

- Nang cao nhan thuc cua ca he thong chinh tri va cac tang lop nhan dan
ve y nghia cua viec hoc tap suot doi, xay dung xa hoi hoc tap.

- Cu the hoa cac muc tieu va nhung nhiem vu, giai phap de to chuc thuc
hien De an phu hop voi dac diem cua tinh.

2. Yeu cau

- To chuc thuc hien De an phai dam bao tinh dong bo, thong nhat, duoc
thuc hien o tat ca cac co quan, don vi.

II. MUC TIEU

1. Muc tieu tong the

Tung buoc hoan thien co so vat chat he thong Thu vien, Bao tang, Nha van
hoa tu tinh den co so; dao tao boi duong chuyen mon nghiep vu cho doi ngu
can bo o co so.

2. Muc tieu cu the den nam 2020

- Phan dau 100% thu vien cap huyen duoc ket noi mang Internet.
"""


def test_legacy_ocr_without_diacritics_gives_items():
    rec = extract_record(LEGACY_PLAN)
    assert len(rec.purposes) == 2
    assert len(rec.requirements) == 1
    general = [o for o in rec.objectives if o.scope == "general"]
    assert len(general) == 1 and general[0].text.startswith("Tung buoc hoan thien")
    specific = [o for o in rec.objectives if o.scope == "specific"]
    assert specific[0].targets[0].value == 100 and specific[0].targets[0].unit == "%"
    assert specific[0].targets[0].year == 2020
    assert rec.legal_bases == ["208/QD-TTg"]
    validate_record(rec.to_dict())


CONG_VAN = """\
ỦY BAN NHÂN DÂN
TỈNH SƠN LA
Số: 1234/UBND-VX
V/v tăng cường công tác phòng, chống dịch bệnh
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Sơn La, ngày 05 tháng 3 năm 2025
Kính gửi: Sở Y tế; Ủy ban nhân dân các xã, phường.
Thực hiện Công văn số 456/BYT-DP ngày 01/3/2025 của Bộ Y tế về việc phòng, chống dịch bệnh mùa xuân, Ủy ban nhân dân tỉnh có ý kiến như sau:
Giao Sở Y tế chủ trì, phối hợp với các cơ quan liên quan theo dõi sát tình hình dịch bệnh, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/3/2025./.
Nơi nhận: - Như trên; - Lưu: VT. TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn An
"""

QUYET_DINH = """\
ỦY BAN NHÂN DÂN TỈNH HÀ GIANG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: 77/QĐ-UBND Hà Giang, ngày 10 tháng 01 năm 2026
QUYẾT ĐỊNH
Về việc thành lập Tổ công tác triển khai chuyển đổi số tỉnh
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ GIANG
Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;
Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ tại Tờ trình số 15/TTr-SKHCN ngày 05/01/2026.
QUYẾT ĐỊNH:
Điều 1. Thành lập Tổ công tác triển khai chuyển đổi số tỉnh.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.
Nơi nhận: - Như Điều 2; - Lưu: VT. CHỦ TỊCH Trần Văn Bình
"""


def test_cong_van_gives_a_record_with_what_it_has():
    rec = extract_record(CONG_VAN)
    d = rec.document
    assert d["type"] == "Công văn"
    assert d["number"] == "1234/UBND-VX"
    assert d["issuer"] == "Ủy ban nhân dân tỉnh Sơn La"
    assert d["place"] == "Sơn La" and d["date"] == "2025-03-05"
    assert d["title"] == "Tăng cường công tác phòng, chống dịch bệnh"
    assert d["addressees"] == ["Sở Y tế", "Ủy ban nhân dân các xã, phường"]
    assert rec.legal_bases == ["456/BYT-DP"]
    ref = rec.references[0]
    assert (ref.kind, ref.date, ref.issuer, ref.basis) == ("Công văn", "2025-03-01", "Bộ Y tế", "Thực hiện")
    # its one unnumbered request ("Giao Sở Y tế chủ trì ...") is its task (issue 13)
    assert [(t.path, t.lead, t.partners, t.timeframe) for t in rec.tasks] == [
        ("", ["Sở Y tế"], ["các cơ quan liên quan"], "trước ngày 15/3/2025")]
    assert rec.purposes == []
    assert rec.signature["name"] == "Nguyễn Văn An" and rec.signature["title"] == "PHÓ CHỦ TỊCH"
    validate_record(rec.to_dict())


def test_quyet_dinh_without_sections():
    rec = extract_record(QUYET_DINH)
    d = rec.document
    assert d["type"] == "Quyết định" and d["number"] == "77/QĐ-UBND" and d["date"] == "2026-01-10"
    assert d["title"] == "Về việc thành lập Tổ công tác triển khai chuyển đổi số tỉnh"
    assert rec.legal_bases == ["72/2025/QH15", "15/TTr-SKHCN"]
    assert [r.basis for r in rec.references[:2]] == ["Căn cứ", "Theo đề nghị"]
    assert rec.signature["name"] == "Trần Văn Bình" and rec.signature["title"] == "CHỦ TỊCH"
    validate_record(rec.to_dict())


@pytest.mark.parametrize("garbage", [
    "lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt",
    "%%%% #### 0101 1100 ~~~ @@@ 12 34 56 78 90 ** ++ == -- ;; :: ..",
    "",
])
def test_garbage_raises(garbage):
    with pytest.raises(NotADocumentError):
        extract_record(garbage)


def test_agency_normalisation_and_splitting():
    forms = ["Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa Thể thao và Du lịch",
             "Sở Văn hoá, Thể thao và Du lịch"]
    assert len({normalize_agency(f) for f in forms}) == 1
    assert normalize_agency("UBND các xã, phường") == normalize_agency("Ủy ban nhân dân các xã, phường")
    assert split_agencies("Sở Khoa học và Công nghệ; Sở Tư pháp; Sở Văn hóa, Thể thao và Du lịch") == [
        "Sở Khoa học và Công nghệ", "Sở Tư pháp", "Sở Văn hóa, Thể thao và Du lịch"]
    assert split_agencies("Các sở, ngành, UBND các xã, phường") == ["Các sở, ngành", "UBND các xã, phường"]
    assert split_agencies("Viện, Trường") == ["Viện, Trường"]


def test_prose_lead_and_partners():
    text = ("1. Kiểm tra việc thực hiện\n"
            "- Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ và các cơ quan có liên quan tổ chức kiểm tra.\n"
            "- Thời gian thực hiện: Quý II năm 2026.")
    doc = ("ỦY BAN NHÂN DÂN TỈNH X CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Số: 1/KH-UBND X, ngày 1 tháng 2 năm 2026\n"
           "KẾ HOẠCH\nKIỂM TRA CÔNG TÁC PHÁP CHẾ\nI. NHIỆM VỤ\n" + text)
    rec = extract_record(doc)
    task = rec.tasks[0]
    assert task.path == "I.1"
    assert task.lead == ["Sở Tư pháp"]
    assert task.partners == ["Sở Nội vụ", "các cơ quan có liên quan"]
    assert task.timeframe == "Quý II năm 2026"
    assert task.lead_ids == [normalize_agency("Sở Tư pháp")]


def test_reference_and_target_parsing():
    refs = parse_references("Căn cứ Quyết định số 208/QĐ-TTg ngày 27/01/2014 của Thủ tướng Chính phủ "
                            "về việc phê duyệt Đề án;", "Căn cứ", [])
    assert refs[0].number == "208/QĐ-TTg" and refs[0].kind == "Quyết định"
    assert refs[0].date == "2014-01-27" and refs[0].issuer == "Thủ tướng Chính phủ"
    targets = parse_targets("Phấn đấu 100% thư viện cấp huyện được nối mạng đến năm 2025; "
                            "đào tạo 3.000 lượt người.", None)
    assert [(t.value, t.unit, t.year) for t in targets] == [(100, "%", 2025), (3000, "lượt người", 2025)]
    assert parse_targets("Tỷ lệ giảm còn 1,7 lần", 2030)[0].value == 1.7


def test_scan_provenance_carries_boxes():
    lines = [
        "ỦY BAN NHÂN DÂN TỈNH X", "Số: 5/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "X, ngày 3 tháng 4 năm 2026", "KẾ HOẠCH", "TUYÊN TRUYỀN PHÁP LUẬT",
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "- Nâng cao nhận thức pháp luật cho cán bộ, công chức.",
        "2. Yêu cầu", "- Bảo đảm thiết thực, hiệu quả.",
    ]
    page = Page(number=1, width=2480, height=3508, source="ocr",
                blocks=[Block(lines=[Line(words=[Word(w, (100, 100 + 60 * i, 200, 150 + 60 * i), 90.0)
                                                 for w in t.split()],
                                          bbox=(250, 100 + 60 * i, 2200, 150 + 60 * i))
                                     for i, t in enumerate(lines)])])
    rec = extract_record(Document(source="scan.pdf", pages=[page]))
    assert rec.purposes == ["Nâng cao nhận thức pháp luật cho cán bộ, công chức."]
    ref = rec.item_provenance["purposes"][0][0]
    assert ref["page"] == 1 and ref["line"] == 9 and ref["bbox"] == [250, 580, 2200, 630]
    assert rec.id == "scan"


def test_markdown_rendering(records):
    rec = records[PLAN_IDS[0]]
    md = render_markdown(rec)
    assert md.startswith(f"# Kế hoạch {rec.document['number']}")
    assert "## Tasks" in md and "| path | task | lead | partners | timeframe |" in md
    assert rec.tasks[0].title[:40] in md


def test_record_round_trips_through_json(records):
    for rec in records.values():
        d = json.loads(json.dumps(rec.to_dict(), ensure_ascii=False))
        assert PlanRecord.from_dict(d).to_dict() == rec.to_dict()


# -------------------------------------------------------------------------------------- CLI
def test_cli_extract_file_and_stdin(tmp_path):
    runner = CliRunner()
    doc_id = PLAN_IDS[0]
    result = runner.invoke(main, ["extract", str(FIXTURES / f"{doc_id}.txt")])
    assert result.exit_code == 0, result.output
    rec = json.loads(result.output)
    validate_record(rec)
    assert rec["document"]["number"] == _gold(doc_id)["document"]["number"]
    result = runner.invoke(main, ["extract", "-", "--format", "markdown"], input=CONG_VAN)
    assert result.exit_code == 0 and result.output.startswith("# Công văn 1234/UBND-VX")
    out = tmp_path / "rec.json"
    result = runner.invoke(main, ["extract", str(FIXTURES / f"{doc_id}.txt"), "-o", str(out)])
    assert result.exit_code == 0 and json.loads(out.read_text(encoding="utf-8"))["id"] == doc_id


def test_cli_extract_garbage_exit_code():
    result = CliRunner().invoke(main, ["extract", "-"], input="qwerty uiop asdf ghjk zxcv bnm 12345 !!!")
    assert result.exit_code == 5
    assert "error" in result.output


def test_cli_evaluate_extract(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["evaluate", "extract", "--gold", str(FIXTURES / "gold"),
                                  "--from-text", str(FIXTURES), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["documents"] == len(PLAN_IDS)
    assert scores["fields"]["tasks"]["f1"] >= 0.95
    # records read back from JSON files give the same scores
    rec_dir = tmp_path / "records"
    rec_dir.mkdir()
    for i in PLAN_IDS:
        (rec_dir / f"{i}.json").write_text(json.dumps(extract_record(
            Document.from_text(_text(i), source=f"{i}.txt")).to_dict(), ensure_ascii=False), encoding="utf-8")
    result2 = runner.invoke(main, ["evaluate", "extract", "--gold", str(FIXTURES / "gold"), str(rec_dir), "--json"])
    assert result2.exit_code == 0
    assert json.loads(result2.output)["fields"] == scores["fields"]
    text = runner.invoke(main, ["evaluate", "extract", "--gold", str(FIXTURES / "gold"),
                                "--from-text", str(FIXTURES)]).output
    assert "task_lead_accuracy" in text and "purposes" in text


# ------------------------------------------------------------------------- OCR robustness
def test_interleaved_two_column_header():
    text = ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "TỈNH LAI CHÂU Độc lập - Tự do - Hạnh phúc\n"
            "Số: 7360/KH-UBND Lai Châu, ngày 19 tháng 11 năm 2025\n"
            "KẾ HOẠCH\nTRIỂN KHAI THI HÀNH LUẬT GIAI ĐOẠN 2026 - 2030\n"
            "I. MỤC ĐÍCH, YÊU CẦU\n"
            "1. Bảo đảm sự chỉ đạo thống nhất của Ủy ban nhân dân tỉnh trong triển khai thi hành Luật.\n")
    d = extract_record(text).document
    assert (d["issuer"], d["number"], d["place"], d["date"]) == (
        "Ủy ban nhân dân tỉnh Lai Châu", "7360/KH-UBND", "Lai Châu", "2025-11-19")
    assert d["period"]["start"] == 2026 and d["period"]["end"] == 2030


def test_ocr_noise_roman_numerals_page_numbers_and_signature():
    text = "\n".join([
        "KẾ HOẠCH", "TUYÊN TRUYỀN PHÁP LUẬT",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Nâng cao nhận thức pháp luật cho cán bộ, công chức, viên chức và người lao động trên",
        "2",
        "",
        "địa bàn tỉnh.",
        "Il. NHIỆM VỤ",
        "1. Tổ chức tuyên truyền pháp luật.",
        "- Cơ quan chủ trì: Sở Tư pháp.",
        "Iv. TỔ CHỨC THỰC HIỆN",
        "1. Sở Tư pháp chủ trì theo dõi, đôn đốc thực hiện Kế hoạch./.",
        "Noi nh@n:", "- Như trên;", "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CIHIỦ TỊCH", "Nguyễn Văn An",
    ])
    rec = extract_record(text)
    assert rec.purposes == ["Nâng cao nhận thức pháp luật cho cán bộ, công chức, viên chức và người "
                            "lao động trên địa bàn tỉnh."]
    assert [t.path for t in rec.tasks] == ["II.1"] and rec.tasks[0].lead == ["Sở Tư pháp"]
    assert rec.implementation == ["Sở Tư pháp chủ trì theo dõi, đôn đốc thực hiện Kế hoạch."]
    assert rec.duties[0].agency == "Sở Tư pháp"
    assert rec.signature["title"] == "PHÓ CHỦ TỊCH" and rec.signature["name"] == "Nguyễn Văn An"
    assert rec.recipients == ["Như trên", "Lưu: VT"]


def test_labels_merged_into_a_paragraph_by_ocr():
    text = ("KẾ HOẠCH\nKIỂM TRA\nI. NỘI DUNG\n"
            "1. Tổ chức tập huấn nghiệp vụ cho cán bộ. Cơ quan thực hiện: Sở Nội vụ; Sở Tư pháp. "
            "Cơ quan phối hợp: Các sở, ngành; UBND các xã, phường. Thời gian thực hiện: Năm 2026.")
    task = extract_record(text).tasks[0]
    assert task.title == "Tổ chức tập huấn nghiệp vụ cho cán bộ."
    assert task.lead == ["Sở Nội vụ", "Sở Tư pháp"]
    assert task.partners == ["Các sở, ngành", "UBND các xã, phường"]
    assert task.timeframe == "Năm 2026"


def test_appendix_table_tasks():
    text = "\n".join([
        "KẾ HOẠCH", "ĐỔI MỚI CÔNG NGHỆ",
        "I. NHIỆM VỤ VÀ GIẢI PHÁP (chi tiết Phụ lục đính kèm)",
        "II. TỔ CHỨC THỰC HIỆN", "1. Sở Tài chính", "Chủ trì bố trí kinh phí.", "2. Hiệp hội Doanh nghiệp",
        "Vận động hội viên tham gia.",
        "Nơi nhận: - Như trên; - Lưu: VT. KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn An",
        "NHIỆM VỤ VÀ GIẢI PHÁP THỰC HIỆN",
        "STT NHIỆM VỤ VÀ GIẢI PHÁP CHỦ TRÌ PHỐI HỢP THỜI GIAN I NHÓM GIẢI PHÁP VỀ CƠ CHẾ 1 Rà soát các "
        "cơ chế, chính sách khuyến khích đổi mới công nghệ. Sở Tài chính Sở, ban, ngành có liên quan "
        "Thường xuyên 2 Vận động hội viên đổi mới công nghệ. Hiệp hội Doanh nghiệp Doanh nghiệp 2026",
    ])
    rec = extract_record(text)
    assert [(t.path, t.lead, t.partners, t.timeframe) for t in rec.tasks] == [
        ("I.1", ["Sở Tài chính"], ["Sở, ban, ngành có liên quan"], "Thường xuyên"),
        ("I.2", ["Hiệp hội Doanh nghiệp"], ["Doanh nghiệp"], "2026")]
    assert rec.tasks[0].title == "Rà soát các cơ chế, chính sách khuyến khích đổi mới công nghệ."
    assert rec.implementation == ["Sở Tài chính", "Hiệp hội Doanh nghiệp"]


def test_cli_run_markdown_on_text(tmp_path):
    doc_id = PLAN_IDS[0]
    result = CliRunner().invoke(main, ["run", str(FIXTURES / f"{doc_id}.txt"), "--mode", "off",
                                       "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "## Tasks" in result.output and _gold(doc_id)["document"]["number"] in result.output


def test_merged_kind_title_line_and_inline_objective_labels():
    text = ("ỦY BAN NHÂN DÂN TỈNH X CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Số: 1/KH-UBND X, ngày 1 tháng 2 năm 2026\n"
            "KẾ HOẠCH TRIỂN KHAI CÔNG TÁC\nDÂN SỐ NĂM 2026\n"
            "Căn cứ Luật số 72/2025/QH15;\n"
            "I. MỤC TIÊU\n"
            "1. Mục tiêu chung: Nâng cao chất lượng dân số của tỉnh.\n"
            "2. Mục tiêu cụ thể: Phấn đấu 90% xã đạt chuẩn đến năm 2026.\n")
    rec = extract_record(text)
    assert_fields(rec.document, {"type": "Kế hoạch", "title": "Triển khai công tác dân số năm 2026"})
    assert [o.scope for o in rec.objectives] == ["general", "specific"]
    assert [(t.value, t.unit, t.year) for t in rec.objectives[1].targets] == [(90, "%", 2026)]


def test_headings_also_matched_on_text_before_normalize():
    """A wrong diacritic restoration of a heading (Word.text) must not hide its role: the text
    as read (Word.raw) is matched too."""
    doc = Document.from_text(LEGACY_PLAN)
    for line in doc.pages[0].lines:
        if line.text.startswith(("I. ", "1. Muc", "2. Yeu", "II. ", "2. Muc")):
            for w in line.words[1:]:
                w.raw, w.text = w.text, "Ngân"
    rec = extract_record(doc)
    assert len(rec.purposes) == 2 and len(rec.requirements) == 1
    assert [o.scope for o in rec.objectives] == ["general", "specific"]


def test_issuer_under_a_parent_body():
    text = ("UBND THÀNH PHỐ ĐÀ NẴNG\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 1906 /SGDĐT-CTrTT\n"
            "V/v khẩn trương phòng, chống dịch\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\nĐà Nẵng, ngày 26 tháng 7 năm 2020\n"
            "Kính gửi: Các trường trực thuộc Sở.\n"
            "Thực hiện Công văn số 4869/UBND-SYT ngày 26/7/2020 của UBND thành phố, Sở Giáo dục và "
            "Đào tạo yêu cầu các đơn vị thực hiện nghiêm các biện pháp phòng, chống dịch.\n")
    rec = extract_record(text)
    d = rec.document
    assert d["issuer"] == "Sở Giáo dục và Đào tạo"
    assert d["issuer_parent"] == "Ủy ban nhân dân thành phố Đà Nẵng"
    assert d["number"] == "1906/SGDĐT-CTrTT" and d["type"] == "Công văn"
    assert d["title"] == "Khẩn trương phòng, chống dịch"
    validate_record(rec.to_dict())


# ------------------------------------------------- English-model legacy OCR after restoration
LEGACY_RESTORED = "\n".join([
    "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "TỈNH THANH HOÁ Độc lập - Tự do - Hạnh phúc",
    "Số: 12/KH-UBND Thanh Hoá, ngày 3 tháng 3 năm 2026",
    "KẾ HOẠCH",
    "THỰC HIỆN LỘ TRÌNH ĐỔI MỚI CÔNG NGHỆ NĂM 2026",
    "Căn cứ Chương trình số 10-CTr/TU ngày 13/8/2025 của Tỉnh ủy; Ủy ban nhân dân tỉnh ban hành",
    "Kế hoạch như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "l. Mục đích",
    "- LỘ trình đổi mới công nghệ phải được triển khai theo từng giai đoạn cụ thể, gắn với",
    "nhiệm vụ phát triển kinh tế - xã hội của tỉnh và các ngành kinh tế mũi nhọn.",
    "Ils. NHIỆM VỤ",
    "1, Rà soát, hoàn thiện cơ chế hỗ trợ doanh nghiệp đổi mới công nghệ trong sản xuất",
    "kinh doanh, bảo đảm phù hợp quy định của pháp luật hiện hành, hiệu quả thiết thực.",
    "a} Cơ quan thực hiện: S& Nội vụ chủ trì, phối hợp với các sở, ban, ngành, Ủy ban nhân",
    "dân phường, xã, đặc khu, báo, đài và các đơn vị có liên quan.",
    "2. Xây dựng cơ sở dữ liệu về công nghệ của tỉnh phục vụ quản lý nhà nước và các ngành",
    "fs)",
    "",
    "kinh tế, bảo đảm kết nối, chia sẻ dữ liệu với các hệ thống thông tin quốc gia.",
    "3",
    "",
    "Cơ quan chủ trì: Thư viện tỉnh; cơ quan phối hợp: Sở Khoa học và Công nghệ.",
    "IV. TỔ CHỨC THỰC HIỆN",
    "1. Sở Khoa học và Công nghệ chủ trì theo dõi, đôn đốc, báo cáo về BỘ Khoa học và Công",
    "nghệ kết quả thực hiện Kế hoạch./.",
    "Nơi nhận: TM. ỦY BAN NHÂN DÂN",
    "- BỘ Khoa học và Công nghệ; KT. CHỦ TỊCH",
    "- Thường trực HĐND tỉnh; PHÓ CHỦ TỊCH",
    "- Lưu: VT, KGVX. Nguyễn Văn An",
])


def test_legacy_ocr_markers_casing_and_page_breaks():
    """Mangled markers ("Ils.", "l.", "1,", "a}"), casing slips of the restorer ("LỘ trình",
    "S& Nội vụ"), a misread page number ("fs)") and a page number inside a paragraph."""
    rec = extract_record(LEGACY_RESTORED)
    d = rec.document
    assert d["place"] == "Thanh Hóa" and d["issuer"] == "Ủy ban nhân dân tỉnh Thanh Hóa"
    assert d["title"] == "Thực hiện lộ trình đổi mới công nghệ năm 2026"
    assert rec.legal_bases == ["10-CTr/TU"]
    assert rec.purposes == ["Lộ trình đổi mới công nghệ phải được triển khai theo từng giai đoạn cụ thể, "
                            "gắn với nhiệm vụ phát triển kinh tế - xã hội của tỉnh và các ngành kinh tế "
                            "mũi nhọn."]
    assert [t.path for t in rec.tasks] == ["II.1", "II.2"]
    t1, t2 = rec.tasks
    assert t1.lead == ["Sở Nội vụ"]
    assert t1.partners == ["các sở, ban, ngành", "Ủy ban nhân dân phường, xã, đặc khu", "báo, đài",
                           "các đơn vị có liên quan"]
    assert t2.title.endswith("với các hệ thống thông tin quốc gia.") and "fs)" not in t2.title
    assert t2.lead == ["Thư viện tỉnh"] and t2.partners == ["Sở Khoa học và Công nghệ"]
    assert rec.implementation == ["Sở Khoa học và Công nghệ chủ trì theo dõi, đôn đốc, báo cáo về Bộ Khoa "
                                  "học và Công nghệ kết quả thực hiện Kế hoạch."]
    # the two closing columns read row by row
    assert rec.recipients == ["Bộ Khoa học và Công nghệ", "Thường trực HĐND tỉnh", "Lưu: VT, KGVX"]
    assert (rec.signature["authority"], rec.signature["title"], rec.signature["name"]) == (
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An")


def test_document_numbers_keep_the_ocr_reading_when_restoration_rewrites_them():
    doc = Document.from_text("KẾ HOẠCH\nTHỰC HIỆN NGHỊ QUYẾT\n"
                             "Căn cứ Chương trình số 10- CTr/TU và Thông báo số 30-TB/TGV của Tỉnh ủy;\n"
                             "I. MỤC TIÊU\n1. Mục tiêu chung: Nâng cao chất lượng.\n")
    for line in doc.pages[0].lines:
        for w in line.words:
            if w.text == "CTr/TU":
                w.raw, w.text = "CTr/TU", "ct/TU"       # a word model lower-cased it
            elif w.text == "30-TB/TGV":
                w.raw, w.text = "30-TB/TGV", "30-TB/TỪ"
    assert extract_record(doc).legal_bases == ["10-CTr/TU", "30-TB/TGV"]


def test_ocr_case_repair_leaves_clean_text_alone():
    from vanban.extract.text import fix_uy, repair_ocr_case, repair_ocr_heads
    assert repair_ocr_case("báo cáo về SỞ Nông nghiệp và MÔi trường, công tác dân sỐ") == \
        "báo cáo về Sở Nông nghiệp và Môi trường, công tác dân số"
    assert repair_ocr_case("CẦn Thơ, ngày 5") == "Cần Thơ, ngày 5"
    for clean_line in ("UBND tỉnh, HĐND, Chỉ thị 27/CT-TTg, NSĐP", "I. MỤC ĐÍCH, YÊU CẦU",
                       "So sánh năm 2026 với ƯTH năm 2025", "NĂM 2026 - 2028"):
        assert repair_ocr_case(clean_line) == clean_line
    assert repair_ocr_heads("S& Nội vụ chủ trì, S&@ Y tế; STT Nội dung") == "Sở Nội vụ chủ trì, Sở Y tế; STT Nội dung"
    assert fix_uy("Uỷ ban tỉnh Thanh Hoá, thuỷ sản, quý, hoàn thành") == "Ủy ban tỉnh Thanh Hóa, thủy sản, quý, hoàn thành"


def test_agency_and_splitting_rules():
    # "và" + a body a service organ serves stays inside the name; two heads split
    assert split_agencies("Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh, Ủy ban Kiểm tra Tỉnh ủy") == [
        "Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh", "Ủy ban Kiểm tra Tỉnh ủy"]
    assert split_agencies("Văn phòng UBND tỉnh và Sở Tư pháp") == ["Văn phòng UBND tỉnh", "Sở Tư pháp"]
    assert split_agencies("Sở, ban, ngành có liên quan") == ["Sở, ban, ngành có liên quan"]
    assert split_agencies("Viện, Trường; Doanh nghiệp") == ["Viện, Trường", "Doanh nghiệp"]


def test_title_casing_ignores_a_single_ocr_capital():
    text = ("KẾ HOẠCH\nHOÀN THÀNH THẮNG LỢI CÁC MỤC TIÊU NĂM 2026\n"
            "Để hoàn thành thắng Lợi các mục tiêu năm 2026, tỉnh ban hành kế hoạch. Thắng lợi của "
            "kế hoạch là thắng lợi chung; mọi thắng lợi đều được ghi nhận, mỗi thắng lợi đều quý.\n"
            "I. MỤC TIÊU\n1. Mục tiêu chung: Hoàn thành kế hoạch.\n")
    assert extract_record(text).document["title"] == "Hoàn thành thắng lợi các mục tiêu năm 2026"


def test_cong_van_page_with_closing_columns_and_lost_bullets():
    """A công văn's last page (no header): a valid record; recipients one a line without
    bullets, the signature column interleaved with them."""
    text = "\n".join([
        "5. Công tác theo dõi, báo cáo",
        "Thủ trưởng các đơn vị, trường học có trách nhiệm thường xuyên theo dõi, báo cáo.",
        "Sở Giáo dục và Đào tạo yêu cầu thủ trưởng các đơn vị khẩn trương triển khai thực hiện theo "
        "quy định./.",
        "4ơi nhận: GIÁM ĐỐC",
        "Như trên; (Đã ký và đóng dấu)",
        "Bộ Giáo dục và Đào tạo;",
        "Thành ủy, HĐND, UBND thành phố; Lê Thị Bích Thuận",
        "UBND các quận, huyện;",
        "Lưu: VT, CTrTT.",
    ])
    rec = extract_record(text)
    validate_record(rec.to_dict())
    assert rec.recipients == ["Như trên", "Bộ Giáo dục và Đào tạo", "Thành ủy, HĐND, UBND thành phố",
                              "UBND các quận, huyện", "Lưu: VT, CTrTT"]
    assert (rec.signature["title"], rec.signature["name"]) == ("GIÁM ĐỐC", "Lê Thị Bích Thuận")


def test_header_read_by_an_english_ocr_model_without_restoration():
    text = ("UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NAM\n"
            "TINH NGHE AN Doc lap - Ty do - Hanh phic\n"
            "S6: 1026/KH-UBND Nghe An, ngay 26 thang 11 ndm 2025\n"
            "KE HOACH\nTRIEN KHAI CONG TAC BAO VE BI MAT NHA NUOC\n"
            "I. MUC DICH, YEU CAU\n1. Nang cao nhan thuc cua can bo, cong chuc ve bao ve bi mat nha nuoc.\n")
    d = extract_record(text).document
    assert (d["number"], d["date"], d["place"]) == ("1026/KH-UBND", "2025-11-26", "Nghe An")
    assert d["issuer"].endswith("tinh Nghe An")


def test_cli_evaluate_extract_with_normalize(tmp_path):
    """--normalize restores the text first (as `vanban run` does with a legacy dump): the
    unaccented purposes then match accented gold items."""
    (tmp_path / "texts").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "texts" / "legacy.eng.txt").write_text(LEGACY_PLAN, encoding="utf-8")
    gold = {"id": "legacy", "document": {}, "legal_bases": ["208/QĐ-TTg"],
            "purposes": ["Nâng cao nhận thức của cả hệ thống chính trị và các tầng lớp nhân dân về ý "
                         "nghĩa của việc học tập suốt đời, xây dựng xã hội học tập.",
                         "Cụ thể hóa các mục tiêu và những nhiệm vụ, giải pháp để tổ chức thực hiện Đề "
                         "án phù hợp với đặc điểm của tỉnh."],
            "requirements": [], "objectives": [], "tasks": [], "implementation": [], "signature": None}
    (tmp_path / "gold" / "legacy.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    args = ["evaluate", "extract", "--gold", str(tmp_path / "gold"), "--from-text", str(tmp_path / "texts"),
            "--text-suffix", ".eng.txt", "--json"]
    plain = json.loads(CliRunner().invoke(main, args).output)
    restored = CliRunner().invoke(main, args + ["--normalize"])
    assert restored.exit_code == 0, restored.output
    assert plain["fields"]["purposes"]["tp"] == 0
    assert json.loads(restored.output)["fields"]["purposes"]["tp"] >= 1


def test_task_title_runs_on_over_a_period_inside_an_agency_enumeration():
    text = ("KẾ HOẠCH\nBẢO VỆ BÍ MẬT NHÀ NƯỚC\nI. NHIỆM VỤ\n"
            "1. Kiện toàn Ban Chỉ đạo gồm đại diện lãnh đạo Sở Nội vụ, Sở Tài chính. Sở Tư pháp, "
            "Công an tỉnh và Bộ Chỉ huy Quân sự tỉnh. Ban Chỉ đạo họp định kỳ hằng quý.\n"
            "2. Tổ chức tập huấn cho cán bộ. Sở Nội vụ chủ trì thực hiện.\n")
    rec = extract_record(text)
    assert rec.tasks[0].title == ("Kiện toàn Ban Chỉ đạo gồm đại diện lãnh đạo Sở Nội vụ, Sở Tài chính. Sở Tư "
                                  "pháp, Công an tỉnh và Bộ Chỉ huy Quân sự tỉnh.")
    assert rec.tasks[1].title == "Tổ chức tập huấn cho cán bộ."
    from vanban.extract.text import repair_ocr_heads
    assert repair_ocr_heads("S&¢ Tư pháp, S6 Xây dựng") == "Sở Tư pháp, Sở Xây dựng"


def test_title_casing_takes_names_from_the_header():
    text = ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "TỈNH NGHỆ AN Độc lập - Tự do - Hạnh phúc\n"
            "Số: 5/KH-UBND Nghệ An, ngày 1 tháng 2 năm 2026\n"
            "KẾ HOẠCH\nPHÁT TRIỂN THƯ VIỆN TRÊN ĐỊA BÀN TỈNH NGHỆ AN NĂM 2026\n"
            "I. MỤC ĐÍCH, YÊU CẦU\n"
            "1. Nâng cao chất lượng hoạt động của hệ thống thư viện công cộng trong toàn tỉnh.\n")
    assert extract_record(text).document["title"] == "Phát triển thư viện trên địa bàn tỉnh Nghệ An năm 2026"


def test_cli_evaluate_extract_names_a_broken_gold_file(tmp_path):
    (tmp_path / "gold").mkdir()
    broken = tmp_path / "gold" / "broken.json"
    broken.write_text('{"id": "broken", "document": ', encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "extract", "--gold", str(tmp_path / "gold")])
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(f"vanban: error: {broken}: not a JSON record: ")
    assert result.stderr.count("\n") == 1


def test_document_code_cut_at_its_hyphen_joins_the_next_line():
    """Wrapped OCR lines: "122/CTPH-BVHTTDL-" at a line end goes on with "BGDĐT" below."""
    text = "\n".join([
        "KẾ HOẠCH",
        "Thực hiện Chương trình phối hợp công tác số 122/CTPH-BVHTTDL-",
        "BGDĐT, ngày 15/01/2016 giữa Bộ Văn hóa, Thể thao và Du lịch và Bộ Giáo dục và Đào tạo về",
        "việc nâng cao hiệu quả quản lý nhà nước về thư viện trên địa bàn tỉnh giai đoạn 2016 - 2020,",
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện với các nội dung cụ thể như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "- Nâng cao nhận thức của cán bộ, công chức và Nhân dân về việc học tập suốt đời trong",
        "các thư viện, bảo tàng, nhà văn hóa và câu lạc bộ trên địa bàn toàn tỉnh.",
    ])
    record = extract_record(text)
    assert record.legal_bases == ["122/CTPH-BVHTTDL-BGDĐT"]


# --- unseen document shapes (survey of the 2025 corpus; hand-written texts) ---------------

_DECISION_WITH_PLAN = """ỦY BAN NHÂN DÂN TỈNH AN BÌNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: 88/QĐ-UBND An Bình, ngày 03 tháng 12 năm 2025
QUYẾT ĐỊNH
VỀ VIỆC BAN HÀNH KẾ HOẠCH PHÁT TRIỂN THƯ VIỆN SỐ TỈNH AN BÌNH
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN BÌNH
Căn cứ Luật Thư viện số 46/2019/QH14 ngày 21 tháng 11 năm 2019;
Theo đề nghị của Sở Văn hóa, Thể thao và Du lịch tại Tờ trình số 12/TTr-SVHTTDL.
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phát triển thư viện số tỉnh An Bình.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Điều 3. Giám đốc các sở, ngành chịu trách nhiệm thi hành Quyết định này./.
Nơi nhận: - Như Điều 3; - Lưu: VT. KT. CHỦ TỊCH PHÓ CHỦ TỊCH Lê Văn Bình
KẾ HOẠCH
PHÁT TRIỂN THƯ VIỆN SỐ TỈNH AN BÌNH
(Kèm theo Quyết định số 88/QĐ-UBND ngày 03/12/2025 của Chủ tịch Ủy ban nhân dân tỉnh)
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nâng cao năng lực phục vụ bạn đọc của hệ thống thư viện.
2. Yêu cầu
Bảo đảm đồng bộ, tiết kiệm, hiệu quả.
II. NHIỆM VỤ
1. Số hóa tài liệu thư viện tỉnh. Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Sở Tài chính thực hiện.
2. Đào tạo người làm công tác thư viện.
III. TỔ CHỨC THỰC HIỆN
1. Sở Văn hóa, Thể thao và Du lịch theo dõi, đôn đốc thực hiện Kế hoạch.
"""


def test_plan_attached_to_the_decision_that_enacts_it():
    record = extract_record(_DECISION_WITH_PLAN)
    doc = record.document
    assert (doc["type"], doc["number"], doc["date"]) == ("Quyết định", "88/QĐ-UBND", "2025-12-03")
    # the enacting authority line is not part of the title
    assert doc["title"].endswith("tỉnh An Bình") and "Chủ tịch" not in doc["title"]
    assert doc["attachment"]["type"] == "Kế hoạch"
    assert doc["attachment"]["title"].lower() == "phát triển thư viện số tỉnh an bình"
    assert record.legal_bases == ["46/2019/QH14", "12/TTr-SVHTTDL"]
    assert record.purposes == ["Nâng cao năng lực phục vụ bạn đọc của hệ thống thư viện."]
    assert record.requirements == ["Bảo đảm đồng bộ, tiết kiệm, hiệu quả."]
    assert [t.path for t in record.tasks] == ["II.1", "II.2"]
    assert record.tasks[0].lead == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert len(record.implementation) == 1
    assert record.signature["title"] == "PHÓ CHỦ TỊCH" and record.signature["name"] == "Lê Văn Bình"
    validate_record(record.to_dict())


def test_signature_paragraph_without_recipients_list():
    text = """ỦY BAN NHÂN DÂN TỈNH AN BÌNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: 05/CT-UBND An Bình, ngày 10 tháng 12 năm 2025
CHỈ THỊ
VỀ TĂNG CƯỜNG CÔNG TÁC QUẢN LÝ, BẢO VỆ RỪNG
Thời gian qua, công tác quản lý, bảo vệ rừng trên địa bàn tỉnh đã đạt kết quả tích cực.
1. Sở Nông nghiệp và Môi trường tổ chức kiểm tra, giám sát các chủ rừng.
2. Ủy ban nhân dân các xã, phường phối hợp thực hiện nghiêm túc Chỉ thị này./.
TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Văn Nam
"""
    record = extract_record(text)
    assert record.signature["title"] == "PHÓ CHỦ TỊCH"
    assert record.signature["name"] == "Trần Văn Nam"
    assert record.signature["authority"] == "KT. CHỦ TỊCH"   # the last authority mark, as with "Nơi nhận:"


def test_signer_titles_of_ministries_and_government():
    from vanban.extract.header import closing_block, signature_paragraph
    _, sig, _ = closing_block(["Nơi nhận: - Các bộ, cơ quan ngang bộ; - Lưu: VT, KSTT (2b). THỦ TƯỚNG Nguyễn Văn Ba"])
    assert (sig["title"], sig["name"]) == ("THỦ TƯỚNG", "Nguyễn Văn Ba")
    sig = signature_paragraph("KT. BỘ TRƯỞNG THỨ TRƯỞNG Lê Thị Hoa")
    assert (sig["authority"], sig["title"], sig["name"]) == ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Lê Thị Hoa")
    # a caps heading followed by ordinary words is no signature
    assert signature_paragraph("CHỦ TỊCH UBND tỉnh chỉ đạo các sở") is None


def test_lettered_parts_above_roman_sections_and_table_header():
    text = """BAN CHỈ ĐẠO TỈNH AN BÌNH ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- Số: 7/KH-BCĐ | An Bình, ngày 05 tháng 3 năm 2025
KẾ HOẠCH
PHÒNG, CHỐNG THIÊN TAI NĂM 2025
- Căn cứ Quyết định số 12/QĐ-UBND ngày 02/01/2025 của Ủy ban nhân dân tỉnh;
- Căn cứ tình hình thực tế, Ban Chỉ đạo xây dựng Kế hoạch như sau:
A. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Chủ động phòng ngừa, giảm thiểu thiệt hại do thiên tai gây ra.
2. Yêu cầu
Phân công rõ trách nhiệm của từng cơ quan.
B. NHIỆM VỤ, GIẢI PHÁP
I. CÔNG TÁC TUYÊN TRUYỀN
1. Tuyên truyền kỹ năng ứng phó thiên tai cho người dân. Sở Văn hóa và Thể thao chủ trì thực hiện.
II. CÔNG TÁC CHUẨN BỊ LỰC LƯỢNG
1. Kiện toàn lực lượng xung kích cấp xã.
2. Dự trữ vật tư, phương tiện cứu hộ.
C. TỔ CHỨC THỰC HIỆN
1. Các sở, ngành triển khai thực hiện Kế hoạch này.
"""
    record = extract_record(text)
    doc = record.document
    # the "|" column bar and the "-------" rules of a header laid out as a table are dropped
    assert (doc["issuer"].lower(), doc["number"], doc["place"], doc["date"]) == (
        "ban chỉ đạo tỉnh an bình", "7/KH-BCĐ", "An Bình", "2025-03-05")
    assert doc["title"].lower() == "phòng, chống thiên tai năm 2025"
    assert record.legal_bases == ["12/QĐ-UBND"]          # a bulleted preamble is preamble
    assert record.purposes == ["Chủ động phòng ngừa, giảm thiểu thiệt hại do thiên tai gây ra."]
    assert record.requirements == ["Phân công rõ trách nhiệm của từng cơ quan."]
    # the roman sections inside "B. NHIỆM VỤ, GIẢI PHÁP" are task sections
    assert [t.path for t in record.tasks] == ["I.1", "II.1", "II.2"]
    assert record.tasks[0].lead == ["Sở Văn hóa và Thể thao"]
    assert record.implementation == ["Các sở, ngành triển khai thực hiện Kế hoạch này."]
    validate_record(record.to_dict())


def test_issuer_from_the_enacting_authority_when_the_header_is_missing():
    text = """QUYẾT ĐỊNH
BAN HÀNH QUY CHẾ QUẢN LÝ CƠ SỞ DỮ LIỆU CÔNG CHỨNG TỈNH AN BÌNH
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN BÌNH
Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;
Theo đề nghị của Giám đốc Sở Tư pháp.
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý cơ sở dữ liệu công chứng tỉnh An Bình.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.
"""
    record = extract_record(text)
    assert record.document["issuer"] == "Ủy ban nhân dân tỉnh An Bình"
    assert record.document["title"].lower() == "ban hành quy chế quản lý cơ sở dữ liệu công chứng tỉnh an bình"
    assert record.legal_bases == ["72/2025/QH15"]
    from vanban.extract.header import issuer_from_authority
    assert issuer_from_authority("TRƯỞNG BAN CHỈ ĐẠO TỈNH AN BÌNH").lower() == "ban chỉ đạo tỉnh an bình"
    assert issuer_from_authority("Căn cứ Luật Tổ chức chính quyền địa phương") is None


def test_inline_sub_heading_labels_and_ministry_enumerations():
    text = """ỦY BAN NHÂN DÂN TỈNH AN BÌNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: 9/KH-UBND An Bình, ngày 05 tháng 3 năm 2025
KẾ HOẠCH
KIỂM KÊ TÀI SẢN CÔNG NĂM 2025
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích: Xác định số lượng, hiện trạng tài sản công.
2. Yêu cầu: bảo đảm đúng tiến độ.
II. MỤC TIÊU
1. Mục tiêu chung: Quản lý chặt chẽ tài sản công.
2. Mục tiêu cụ thể: 100% cơ quan hoàn thành kiểm kê trong năm 2025.
III. NHIỆM VỤ
1. Hướng dẫn kiểm kê tài sản
- Cơ quan chủ trì: Sở Tài chính.
- Cơ quan phối hợp: các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ và Ủy ban nhân dân các xã, phường.
"""
    record = extract_record(text)
    assert record.purposes == ["Xác định số lượng, hiện trạng tài sản công."]
    assert record.requirements == ["Bảo đảm đúng tiến độ."]
    assert [(o.scope, o.text) for o in record.objectives] == [
        ("general", "Quản lý chặt chẽ tài sản công."),
        ("specific", "100% cơ quan hoàn thành kiểm kê trong năm 2025.")]
    assert record.tasks[0].lead == ["Sở Tài chính"]
    assert record.tasks[0].partners == ["các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
                                        "Ủy ban nhân dân các xã, phường"]


def test_sentence_case_roman_headings_and_parenthesised_numbers():
    text = """ỦY BAN NHÂN DÂN TỈNH AN BÌNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: 9/KH-UBND An Bình, ngày 05 tháng 3 năm 2025
KẾ HOẠCH
Kiểm kê tài sản công năm 2025
Căn cứ Quyết định số 12/QĐ-UBND ngày 02/01/2025 của Ủy ban nhân dân tỉnh;
I. Mục đích, yêu cầu
1. Mục đích
Xác định số lượng, hiện trạng tài sản công.
2. Yêu cầu
Bảo đảm đúng tiến độ.
II. Nhiệm vụ và giải pháp
1) Hướng dẫn kiểm kê tài sản. Sở Tài chính chủ trì thực hiện.
2) Tổng hợp kết quả kiểm kê.
III. Tổ chức thực hiện
1. Sở Tài chính theo dõi, đôn đốc.
"""
    record = extract_record(text)
    assert record.requirements == ["Bảo đảm đúng tiến độ."]        # the next heading is no requirement
    assert [(t.path, t.lead) for t in record.tasks] == [("II.1", ["Sở Tài chính"]), ("II.2", [])]
    assert record.implementation == ["Sở Tài chính theo dõi, đôn đốc."]
    assert [s.role for s in record.sections if s.level == 1] == ["purposes", "tasks", "implementation"]


def test_wrapped_lines_that_look_like_breaks_but_go_on():
    # rendered lines (OCR shape): a year range cut at its dash, an item with an inline label
    # whose full-width first line ends before a capitalised word, a line ending on "vào"
    lines = [
        "ỦY BAN NHÂN DÂN", "TỈNH AN BÌNH", "Số: 9/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "An Bình, ngày 05 tháng 3 năm 2025",
        "KẾ HOẠCH", "PHÁT TRIỂN THƯ VIỆN SỐ TỈNH AN BÌNH",
        "Căn cứ Quyết định số 12/QĐ-UBND ngày 02/01/2025 về phát triển thư viện giai đoạn 2021",
        "- 2030 trên địa bàn tỉnh, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao năng lực phục vụ bạn đọc của hệ thống thư viện công cộng trên địa bàn.",
        "II. NHIỆM VỤ",
        "1. Sở Văn hóa: Chủ trì số hóa tài liệu, bảo đảm đúng quy định của Luật Thư viện",
        "Bảo vệ và phát huy giá trị tài liệu cổ của địa phương trong thời gian tới.",
        "2. Thu thập, chuẩn hóa cơ sở dữ liệu thư viện của tỉnh và tích hợp vào",
        "Hệ thống thông tin quốc gia về thư viện theo hướng dẫn của bộ, ngành.",
        "3. Tổ chức tập huấn nghiệp vụ cho người làm công tác thư viện cấp xã.",
        "III. TỔ CHỨC THỰC HIỆN",
        "Các sở, ngành, địa phương theo chức năng, nhiệm vụ triển khai Kế hoạch này./.",
    ]
    record = extract_record("\n".join(lines))
    assert record.provenance["input_shape"] == "wrapped-lines"
    assert record.legal_bases == ["12/QĐ-UBND"]
    assert [t.path for t in record.tasks] == ["II.1", "II.2", "II.3"]
    assert record.tasks[0].title.endswith("Luật Thư viện Bảo vệ và phát huy giá trị tài liệu cổ của địa phương trong thời gian tới.")
    assert record.tasks[1].title.endswith("tích hợp vào Hệ thống thông tin quốc gia về thư viện theo hướng dẫn của bộ, ngành.")


def test_goals_subsection_inside_a_work_section_gives_objectives_not_tasks():
    text = """ỦY BAN NHÂN DÂN TỈNH AN BÌNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: 9/KH-UBND An Bình, ngày 05 tháng 3 năm 2025
KẾ HOẠCH
PHÁT TRIỂN MẠNG LƯỚI THIẾT CHẾ VĂN HÓA
II. NỘI DUNG CHỦ YẾU
1. Mục tiêu phát triển đến năm 2030
- 100% xã có nhà văn hóa đạt chuẩn.
- Mạng lưới thiết chế văn hóa được đầu tư đồng bộ.
2. Rà soát quỹ đất dành cho thiết chế văn hóa. Sở Xây dựng chủ trì thực hiện.
3. Huy động nguồn lực xã hội hóa.
"""
    record = extract_record(text)
    assert [(o.scope, o.text) for o in record.objectives] == [
        ("specific", "100% xã có nhà văn hóa đạt chuẩn."),
        ("specific", "Mạng lưới thiết chế văn hóa được đầu tư đồng bộ.")]
    assert [(t.value, t.unit, t.year) for t in record.objectives[0].targets][:1] == [(100, "%", 2030)]
    assert [t.path for t in record.tasks] == ["II.2", "II.3"]
    assert record.tasks[0].lead == ["Sở Xây dựng"]
