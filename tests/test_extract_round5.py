"""extract, issue 13 round 5: failure classes found on the val4 part, each shown on a small
made-up text of the same shape (not the evaluation texts)."""

from __future__ import annotations

import pytest

from vanban.extract.agencies import split_agencies
from tests.support.expected_tasks import any_order, assert_tasks, starts_with
from tests.support.records import valid_record

#: Each made-up text below whose test is only about its tasks, under its test's name: the text
#: and the tasks it must give (see tests.support.expected_tasks), checked as written and
#: flattened by test_made_up_text_gives_its_tasks at the end of this file.
TASK_CASES: dict[str, tuple[str, dict]] = {}


# ---------------------------------------------------------- the addressee of a list's intro
LETTER_TO_BUSINESSES = (
    "Kính gửi: Các hợp tác xã vận tải trên địa bàn tỉnh An Bình\n"
    "Nhằm bảo đảm an toàn giao thông dịp cuối năm. Sở Xây dựng đề nghị các hợp tác xã vận tải "
    "hành khách trên địa bàn tỉnh tự kiểm tra, rà soát việc chấp hành quy định, cụ thể như sau:\n"
    "1. Thường xuyên kiểm tra tình trạng kỹ thuật của phương tiện trước mỗi chuyến đi.\n"
    "2. Hợp tác xã thực hiện đăng ký phù hiệu xe theo quy định và gửi hồ sơ về Sở Xây dựng.\n"
    "3. Niêm yết công khai giá cước tại quầy bán vé.\n"
)

PLAN_LETTER = (
    "Kính gửi: Các trường trực thuộc Bộ\n"
    "Thực hiện Công văn số 12/BNN-TCCB ngày 01/10/2025 của Bộ Nông nghiệp. Bộ Nông nghiệp đề nghị các trường cao đẳng trực thuộc Bộ (sau đây gọi tắt là nhà trường) "
    "thực hiện một số nhiệm vụ năm học 2025 - 2026 như sau:\n"
    "1. Rà soát chương trình đào tạo theo chuẩn đầu ra mới.\n"
    "2. Báo cáo kết quả tuyển sinh trước ngày 15/12/2025.\n"
)

WHOLE_ADDRESSEE = {"lead": ["các hợp tác xã vận tải hành khách trên địa bàn tỉnh"]}
TASK_CASES["intro_addressee_ends_at_tu_verb_and_a_bare_head_names_it_back"] = (LETTER_TO_BUSINESSES, {
    "1": WHOLE_ADDRESSEE,          # "tự kiểm tra" ends the addressee
    "2": WHOLE_ADDRESSEE,          # "Hợp tác xã thực hiện …" names the addressee back
    "3": WHOLE_ADDRESSEE,
})
SCHOOLS = {"lead": ["các trường cao đẳng trực thuộc Bộ"]}
TASK_CASES["intro_addressee_without_its_defined_short_name"] = (PLAN_LETTER, {"1": SCHOOLS, "2": SCHOOLS})


def test_defined_short_name_in_brackets_is_no_part_of_an_agency():
    assert split_agencies("Sở Tài chính (sau đây viết tắt là STC), Sở Y tế") == ["Sở Tài chính", "Sở Y tế"]
    # a role in brackets other than a definition stays as before
    assert split_agencies("Nhà đầu tư (Tập đoàn Đèo Cả)") == ["Nhà đầu tư (Tập đoàn Đèo Cả)"]


# ------------------------------------------- an appendix table of requests run on as text
REQUESTS_TABLE = (
    "Kính gửi: Các Bộ, cơ quan ngang Bộ\n"
    "Thực hiện Kết luận số 12-KL/TW của Bộ Chính trị, Ban Chỉ đạo đề nghị các Bộ, cơ quan ngang Bộ khẩn trương thực hiện các nội dung sau:\n"
    "1. Xử lý dứt điểm các kiến nghị của địa phương trước ngày 20/12/2025.\n"
    "2. Báo cáo kết quả về Bộ Nội vụ để tổng hợp.\n"
    "Nơi nhận: - Như trên; - Lưu: VT. KT. TRƯỞNG BAN PHÓ TRƯỞNG BAN Trần Văn Bình\n"
    "PHỤ LỤC TỔNG HỢP KIẾN NGHỊ CỦA CÁC ĐỊA PHƯƠNG (Kèm theo Công văn số 88/CV-BCĐ ngày 01 tháng 12 "
    "năm 2025 của Ban Chỉ đạo) TT Tỉnh kiến nghị Thông tin đề xuất Bộ phụ trách tiếp nhận, xử lý "
    "1 An Bình Đề nghị Chính phủ hỗ trợ kinh phí sửa chữa trụ sở làm việc cấp xã tại các vùng khó khăn Bộ Tài chính "
    "2 An Bình, Tân Hà Đề nghị hướng dẫn việc bố trí công chức phụ trách chuyển đổi số cấp xã. "
    "Bộ Khoa học và Công nghệ; Bộ Nội vụ "
    "3 Thành phố Đông Hải - Ban hành quy định thống nhất về mẫu biểu báo cáo của cấp xã Các bộ, cơ quan ngang bộ "
    "4 Tân Hà Đề nghị thống nhất mẫu giấy khai sinh điện tử; Nâng cấp phần mềm hộ tịch cấp xã Bộ Tư pháp\n"
)

TASK_CASES["run_on_requests_table_with_a_source_column_and_the_lead_last"] = (REQUESTS_TABLE, {
    # the provinces that raised the request are no part of the task; the lead is the last cell,
    # not "Chính phủ" named inside the request
    "PL.1": {"title": starts_with("Đề nghị Chính phủ hỗ trợ kinh phí"), "lead": ["Bộ Tài chính"]},
    "PL.2": {"title": "Đề nghị hướng dẫn việc bố trí công chức phụ trách chuyển đổi số cấp xã.",
             "lead": ["Bộ Khoa học và Công nghệ", "Bộ Nội vụ"]},
    "PL.3": {"title": starts_with("Ban hành quy định thống nhất"), "lead": ["Các bộ, cơ quan ngang bộ"]},
    # the title is the cell's first sentence: a ";" before a capital does not end it
    "PL.4": {"title": "Đề nghị thống nhất mẫu giấy khai sinh điện tử; Nâng cấp phần mềm hộ tịch cấp xã",
             "lead": ["Bộ Tư pháp"]},
    # the body's numbered requests stay tasks
    "1": {"lead": ["các Bộ, cơ quan ngang Bộ"]},
})


@pytest.mark.parametrize("flatten", [False, True])
def test_run_on_requests_table_gives_one_task_a_row(flatten):
    # (its tasks' fields: run_on_requests_table_with_a_source_column_and_the_lead_last above)
    paths = {t.path for t in valid_record(REQUESTS_TABLE, flatten).tasks}
    assert {p for p in paths if p.startswith("PL.")} == {"PL.1", "PL.2", "PL.3", "PL.4"}


# ------------------------------------------ an adverbial lead-in before the item's addressee
DIRECTIVE_WITH_LEAD_INS = (
    "Kính gửi: Các sở, ban, ngành tỉnh\n"
    "Thực hiện Chỉ thị số 05/CT-TTg của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các "
    "sở, ban, ngành tỉnh khẩn trương thực hiện các nội dung sau:\n"
    "1. Đối với 12 thủ tục hành chính còn vướng mắc (danh mục theo Báo cáo số 77/BC-SNV của Sở Nội vụ), "
    "các sở, ngành khẩn trương rà soát, đề xuất phương án xử lý. Thời hạn hoàn thành trước ngày 10/12/2025.\n"
    "2. Trên cơ sở các Nghị quyết của Hội đồng nhân dân tỉnh về phân cấp, ủy quyền, Ủy ban nhân dân các xã, "
    "phường tổ chức thực hiện bảo đảm thông suốt.\n"
    "3. Trên cơ sở đề xuất của Sở Tài chính, bố trí kinh phí thực hiện.\n"
)

TASK_CASES["item_addressee_after_an_adverbial_lead_in"] = (DIRECTIVE_WITH_LEAD_INS, {
    "1": {"lead": ["các sở, ngành"]},
    "2": {"lead": ["Ủy ban nhân dân các xã, phường"]},
    # a lead-in that names a body of its own opens no addressee: the list's intro leads
    "3": {"lead": ["Thủ trưởng các sở, ban, ngành tỉnh"]},
})


# ------------------------------------------------ a topic heading whose lettered parts charge bodies
RESOLUTION = (
    "CHÍNH PHỦ\nSố: 901/NQ-CP\nHà Nội, ngày 02 tháng 12 năm 2025\n"
    "NGHỊ QUYẾT\nVề các giải pháp khắc phục hậu quả hạn hán tại tỉnh An Bình\n"
    "I. MỤC TIÊU\n1. Ổn định đời sống Nhân dân vùng bị hạn hán trước Tết Nguyên đán.\n"
    "II. NHIỆM VỤ, GIẢI PHÁP\n"
    "1. Bảo đảm nước sinh hoạt\n"
    "a) Ủy ban nhân dân tỉnh An Bình tiếp tục rà soát các hộ thiếu nước, bố trí xe chở nước đến từng thôn.\n"
    "b) Bộ Xây dựng hướng dẫn địa phương sửa chữa các trạm cấp nước bị hư hỏng.\n"
    "c) Đề nghị Hội Liên hiệp Phụ nữ Việt Nam\n"
    "- Vận động các tổ chức, cá nhân ủng hộ bồn chứa nước cho các hộ nghèo.\n"
    "2. Hỗ trợ sản xuất nông nghiệp\n"
    "Bộ Tài chính chỉ đạo Ngân hàng Chính sách xã hội:\n"
    "a) Khoanh nợ cho các hộ bị thiệt hại.\n"
    "b) Cho vay mới để khôi phục sản xuất.\n"
)

# flattened, the heading ends where the line naming its addressee starts ("… nông nghiệp | Bộ
# Tài chính chỉ đạo …:"), not after a governing word and not inside "Bộ trưởng Bộ X:"
TASK_CASES["topic_heading_lead_is_the_union_of_its_lettered_parts"] = (RESOLUTION, {
    "II.1": {"title": "Bảo đảm nước sinh hoạt",
             "lead": any_order("Ủy ban nhân dân tỉnh An Bình", "Bộ Xây dựng", "Hội Liên hiệp Phụ nữ Việt Nam")},
    # a capitalised line ending in ":" under the heading opens its items (no part of the title)
    "II.2": {"title": "Hỗ trợ sản xuất nông nghiệp", "lead": any_order("Bộ Tài chính", "Ngân hàng Chính sách xã hội")},
})


# ------------------------------------------------------------ long addressee headings, party titles
TELEGRAM = (
    "CÔNG ĐIỆN\nVề việc ứng phó với bão số 20\n"
    "THỦ TƯỚNG CHÍNH PHỦ điện:\n"
    "1. Bộ trưởng các Bộ: Quốc phòng, Công an, Nông nghiệp và Môi trường, Xây dựng, Công Thương, Y tế, "
    "Tài chính và các Bộ, ngành có liên quan; Bí thư tỉnh ủy, thành ủy và Chủ tịch Ủy ban nhân dân các "
    "tỉnh, thành phố ven biển từ Quảng Ninh đến Thanh Hóa theo chức năng, nhiệm vụ, thẩm quyền:\n"
    "a) Theo dõi chặt chẽ diễn biến của bão.\n"
    "b) Sẵn sàng lực lượng, phương tiện cứu hộ.\n"
    "2. Bí thư tỉnh ủy, thành ủy; Chủ tịch Ủy ban nhân dân các tỉnh ven biển khẩn trương sơ tán người dân.\n"
    "3. Văn phòng Chính phủ trên cơ sở chức năng, nhiệm vụ được giao theo dõi, đôn đốc việc thực hiện.\n"
)

TASK_CASES["long_addressee_heading_party_titles_and_an_adverbial_after_the_addressee"] = (TELEGRAM, {
    "1": {"lead": [
        "Bộ trưởng các Bộ: Quốc phòng, Công an, Nông nghiệp và Môi trường, Xây dựng, Công Thương, Y tế, Tài chính",
        "các Bộ, ngành có liên quan", "Bí thư tỉnh ủy, thành ủy",
        "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố ven biển từ Quảng Ninh đến Thanh Hóa"]},
    "2": {"lead": ["Bí thư tỉnh ủy, thành ủy", "Chủ tịch Ủy ban nhân dân các tỉnh ven biển"]},
    "3": {"lead": ["Văn phòng Chính phủ"]},     # "trên cơ sở …" ends the addressee
})


# ------------------------------------------------------------- issuer and number from the appendix note
def _document(text: str, flatten: bool = False) -> dict:
    return valid_record(text, flatten).document


@pytest.mark.parametrize("flatten", [False, True])
def test_issuer_named_in_part_by_the_note_is_completed_from_the_letter(flatten):
    city = (
        "Kính gửi: Sở Xây dựng\n"
        "Thực hiện Kết luận số 05-KL/TU, Ủy ban nhân dân Thành phố chỉ đạo như sau:\n"
        "1. Giao Sở Xây dựng rà soát các bến thủy nội địa trên địa bàn Thành phố Đông Hải.\n"
        "2. Giao Sở Tài chính bố trí kinh phí cho các bến trên địa bàn Thành phố Đông Hải.\n"
        "PHỤ LỤC DANH SÁCH BẾN THỦY (kèm theo Công văn số 77/UBND-ĐT ngày 02 tháng 12 năm 2025 "
        "của Ủy ban nhân dân Thành phố)\n")
    doc = _document(city, flatten)
    assert (doc["number"], doc["date"]) == ("77/UBND-ĐT", "2025-12-02")
    assert doc["issuer"] == "Ủy ban nhân dân Thành phố Đông Hải"
    board = (
        "Kính gửi: Các sở, ngành\n"
        "Thực hiện Kết luận số 05-KL/TU, Ban Chỉ đạo phát triển khoa học, công nghệ và chuyển đổi số tỉnh "
        "yêu cầu các sở, ngành khẩn trương thực hiện các nội dung sau:\n"
        "1. Rà soát các thủ tục hành chính trực tuyến.\n2. Báo cáo Ban Chỉ đạo của tỉnh trước ngày 10/12/2025.\n"
        "PHỤ LỤC (Kèm theo Công văn số 12/CV-BCĐ ngày 03 tháng 12 năm 2025 của Ban Chỉ đạo)\n")
    assert _document(board, flatten)["issuer"] == \
        "Ban Chỉ đạo phát triển khoa học, công nghệ và chuyển đổi số tỉnh"


def test_resolution_without_its_number_is_named_by_its_appendix_note():
    text = (
        "NGHỊ QUYẾT\nVề các giải pháp khắc phục hậu quả hạn hán\nCHÍNH PHỦ\n"
        "Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;\nQUYẾT NGHỊ:\n"
        "I. NHIỆM VỤ, GIẢI PHÁP\n1. Bộ Nông nghiệp và Môi trường hướng dẫn địa phương khôi phục sản xuất.\n"
        "II. TỔ CHỨC THỰC HIỆN\n1. Các bộ, cơ quan tổ chức thực hiện Nghị quyết này.\n"
        "Phụ lục\nDANH MỤC ĐỀ ÁN\n(Kèm theo Nghị quyết số 901/NQ-CP ngày 05 tháng 12 năm 2025 của Chính phủ)\n")
    doc = _document(text)
    assert (doc["type"], doc["number"], doc["date"]) == ("Nghị quyết", "901/NQ-CP", "2025-12-05")


TASK_CASES["an_assignment_goes_on_after_a_semicolon_to_the_next_addressee"] = (TELEGRAM + (
    "4. Giao Phó Chủ tịch Ủy ban nhân dân tỉnh Lê Văn An chỉ đạo các sở, ngành triển khai công tác "
    "ứng phó; Giám đốc Sở Tài chính kịp thời bố trí kinh phí dự phòng; các xã tiếp tục theo dõi.\n"),
    {"4": {"lead": ["Phó Chủ tịch Ủy ban nhân dân tỉnh Lê Văn An", "Giám đốc Sở Tài chính"]}})


def test_a_list_of_body_functions_after_a_body_noun_is_no_verb():
    """"các cơ quan tham mưu, quản lý nhà nước" names kinds of body (the functions are listed
    as data, not one document's phrase); "các đơn vị tham mưu UBND tỉnh" has the verb."""
    from vanban.extract.items import _qualifier_list_at
    listed = "Thủ trưởng các cơ quan chuyên môn, giúp việc của tỉnh".split()
    assert _qualifier_list_at(listed, 5)
    chained = "Giám đốc các đơn vị sự nghiệp hành chính thuộc Sở".split()
    assert _qualifier_list_at(chained, 5)
    verb = "Giao các đơn vị tham mưu Ủy ban nhân dân tỉnh".split()
    assert not _qualifier_list_at(verb, 4)
    assert not _qualifier_list_at("Các sở tham mưu, đề xuất".split(), 2)


# ------------------------------------------- every made-up text above with the tasks it must give
@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("text, expected", list(TASK_CASES.values()), ids=list(TASK_CASES))
def test_made_up_text_gives_its_tasks(text, expected, flatten):
    assert_tasks(valid_record(text, flatten).tasks, expected)
