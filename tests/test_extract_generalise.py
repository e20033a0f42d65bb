"""extract, issue 13 round 4: failure classes found on held-out parts, each shown on a small
made-up sentence of the same shape (not the evaluation texts)."""

from __future__ import annotations

import pytest

from vanban.extract import extract_record
from vanban.extract.agencies import split_agencies
from tests.support.expected_tasks import assert_tasks, ends_with, starts_with
from tests.support.records import valid_record


# --------------------------------------------------------------------- lists that share a head
@pytest.mark.parametrize("text, names", [
    # a person's title governs a generic group listed on with lower-case heads
    ("Giám đốc, Thủ trưởng các cơ quan ngang Sở, cơ quan thuộc Ủy ban nhân dân tỉnh, Chủ tịch UBND các xã",
     ["Giám đốc", "Thủ trưởng các cơ quan ngang Sở, cơ quan thuộc Ủy ban nhân dân tỉnh", "Chủ tịch UBND các xã"]),
    ("Thủ trưởng cơ quan, đơn vị", ["Thủ trưởng cơ quan, đơn vị"]),
    # a bare head shares the qualifier of the generic group after it
    ("các phòng, ban, UBND các phường, Tổng công ty, công ty và các đơn vị trực thuộc Tỉnh",
     ["các phòng, ban", "UBND các phường", "Tổng công ty, công ty và các đơn vị trực thuộc Tỉnh"]),
    # ... but a plural group after a complete known category is another group
    ("các sở, ban, ngành, các Tổng công ty, công ty trực thuộc Tỉnh, các đơn vị được giao làm chủ đầu tư",
     ["các sở, ban, ngành", "các Tổng công ty, công ty trực thuộc Tỉnh", "các đơn vị được giao làm chủ đầu tư"]),
    # a shared-head list after a person's title, and one that ends at "và" before another body
    ("Giám đốc các Sở: Y tế, Tài chính", ["Giám đốc các Sở: Y tế, Tài chính"]),
    ("Các Sở: Nội vụ, Văn hóa, Thể thao và Du lịch và UBND các phường và các đơn vị có liên quan",
     ["Các Sở: Nội vụ, Văn hóa, Thể thao và Du lịch", "UBND các phường", "các đơn vị có liên quan"]),
    # members of a shared-head list written with ";" stay with their head
    ("Các Cục: Di sản văn hóa; Báo chí; Xuất bản, In và Phát hành; Vụ Pháp chế",
     ["Các Cục: Di sản văn hóa; Báo chí; Xuất bản, In và Phát hành", "Vụ Pháp chế"]),
    # unchanged: a full name is no bare head; a proper name before a lower-case list
    ("Bộ Chỉ huy Quân sự tỉnh và sở, ngành có liên quan", ["Bộ Chỉ huy Quân sự tỉnh", "sở, ngành có liên quan"]),
    ("Ủy ban nhân dân phường, xã, đặc khu, báo, đài", ["Ủy ban nhân dân phường, xã, đặc khu", "báo, đài"]),
    ("Sở Y tế và các đơn vị liên quan", ["Sở Y tế", "các đơn vị liên quan"]),
])
def test_shared_head_and_qualifier_lists(text, names):
    assert split_agencies(text) == names


# ------------------------------------------------------- bodies a conclusion's clauses charge
CONCLUSION = (
    "THÔNG BÁO\nKết luận của Chủ tịch Ủy ban nhân dân tỉnh tại buổi làm việc với huyện Tân Hà\n"
    "I. VỀ CÁC KIẾN NGHỊ CỦA HUYỆN\n"
    "1. Về xây dựng cầu qua sông: với vai trò là chủ đầu tư, Ban Quản lý dự án giao thông tỉnh chủ "
    "động làm việc với các nhà thầu. Để giải phóng mặt bằng kịp thời, Ủy ban nhân dân huyện Tân Hà phối "
    "hợp với Sở Xây dựng rà soát hồ sơ đất đai.\n"
    "2. Về phủ sóng các thôn vùng cao: đề nghị các Tập đoàn: Viễn thông Miền Núi, Bưu chính An Hà tổ "
    "chức lắp đặt trạm phát sóng; Sở Khoa học và Công nghệ hướng dẫn các Tập đoàn nêu trên.\n"
    "3. Về nâng cấp trường học: giao Sở Giáo dục và Đào tạo làm việc với huyện để bố trí vốn.\n"
    "4. Về các đề án của ngành: giao Sở Y tế nghiên cứu lồng ghép vào các đề án Sở chủ trì. "
    "Trường hợp còn thiếu vốn, Huyện tổng hợp nhu cầu.\n")

DIRECTIVE = (
    "CHỈ THỊ\nVề khắc phục hậu quả mưa lũ\n"
    "1. Sở Tài chính chủ trì, phối hợp với các sở, ngành liên quan:\n"
    "a) Hướng dẫn các địa phương sử dụng kinh phí dự phòng.\n"
    "b) Chỉ đạo Kho bạc Nhà nước khu vực chi trả kịp thời các khoản hỗ trợ.\n"
    "c) Chỉ đạo các đơn vị trực thuộc rà soát hồ sơ.\n"
    "2. Thủ trưởng các cơ quan tham mưu, giúp việc thuộc Ủy ban nhân dân tỉnh\n"
    "- Nghiên cứu, tham mưu Ủy ban nhân dân tỉnh ban hành kế hoạch.\n"
    "- Theo dõi, đôn đốc việc thực hiện.\n")

CONCLUSION_TO_A_PROVINCE = (
    "VĂN PHÒNG CHÍNH PHỦ\nSố: 901/TB-VPCP\nHà Nội, ngày 02 tháng 12 năm 2025\n"
    "THÔNG BÁO\nKết luận của Thủ tướng Chính phủ tại buổi làm việc với tỉnh An Bình\n"
    "Ngày 20 tháng 11 năm 2025, Thủ tướng Chính phủ đã chủ trì buổi làm việc với Ban Thường vụ Tỉnh ủy.\n"
    "I. VỀ CÁC KIẾN NGHỊ CỦA TỈNH\n"
    "1. Về hỗ trợ xe cứu thương: Tỉnh căn cứ các quy định hiện hành để bố trí xe phục vụ công tác.\n"
    "2. Về vốn cho trường học: giao Bộ Giáo dục và Đào tạo nghiên cứu đề xuất của Tỉnh.\n")

#: Each made-up text above under its test's name: the text and the tasks it must give (see
#: tests.support.expected_tasks), checked as written and flattened.
TASK_CASES = {
    "conclusion_clauses_after_a_topic_label_a_semicolon_or_a_lead_in": (CONCLUSION, {
        "I.1": {"lead": ["Ban Quản lý dự án giao thông tỉnh", "Ủy ban nhân dân huyện Tân Hà"]},
        "I.2": {"lead": ["các Tập đoàn: Viễn thông Miền Núi, Bưu chính An Hà", "Sở Khoa học và Công nghệ"]},
        "I.3": {"lead": ["Sở Giáo dục và Đào tạo"]},        # "làm việc" ends the subject
        "I.4": {"lead": ["Sở Y tế"]},                         # a bare "Sở chủ trì" names no body;
        # "Trường hợp …" is no school ("Trường")
    }),
    "directive_lead_adds_a_named_body_it_directs_and_keeps_a_modified_group": (DIRECTIVE, {
        # "Chỉ đạo <named body> <verb>" charges that body; its own units ("các đơn vị trực thuộc") not
        "1": {"lead": ["Sở Tài chính", "Kho bạc Nhà nước khu vực"]},
        # "cơ quan tham mưu, giúp việc" names a kind of body; the heading ends at the dash of its bullet
        "2": {"lead": ["Thủ trưởng các cơ quan tham mưu, giúp việc thuộc Ủy ban nhân dân tỉnh"]},
    }),
    "conclusion_to_a_province_names_it_as_the_actor": (CONCLUSION_TO_A_PROVINCE, {
        "I.1": {"lead": ["Tỉnh"]},
        "I.2": {"lead": ["Bộ Giáo dục và Đào tạo"]},   # "của Tỉnh" opens no clause
    }),
}


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("text, expected", list(TASK_CASES.values()), ids=list(TASK_CASES))
def test_made_up_text_gives_its_tasks(text, expected, flatten):
    assert_tasks(valid_record(text, flatten).tasks, expected)


# ----------------------------------------------------------- a web copy's news lead-in
WEB_COPY = (
    "Khẩn trương khắc phục sạt lở bờ sông trước mùa mưa Ngày 03/12/2025, Chủ tịch Ủy ban nhân dân tỉnh "
    "An Bình đã ký Công điện 15/CĐ-UBND về việc khắc phục sạt lở bờ sông. Theo đó, Chủ tịch yêu cầu các "
    "sở, ngành tập trung xử lý dứt điểm các điểm sạt lở theo Kế hoạch số 88/KH-UBND ngày 01/10/2025. "
    "- Sở Xây dựng rà soát các điểm sạt lở. - Sở Tài chính bố trí kinh phí. Xem thêm Công điện 15/CĐ-UBND. "
    "ỦY BAN NHÂN DÂN TỈNH AN BÌNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
    "Số: 15/CĐ-UBND An Bình, ngày 03 tháng 12 năm 2025 CÔNG ĐIỆN VỀ VIỆC KHẨN TRƯƠNG KHẮC PHỤC SẠT LỞ BỜ "
    "SÔNG CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện: - Giám đốc các sở, ngành; - Chủ tịch Ủy ban nhân dân các "
    "xã, phường. Thực hiện Công điện số 99/CĐ-TTg ngày 01/12/2025 của Thủ tướng Chính phủ, Chủ tịch Ủy "
    "ban nhân dân tỉnh yêu cầu: 1. Sở Xây dựng chủ trì, phối hợp với Ủy ban nhân dân các xã rà soát các "
    "điểm sạt lở, hoàn thành trước ngày 15/12/2025. 2. Giao Sở Tài chính - Cơ quan thường trực Ban Chỉ "
    "đạo phòng chống thiên tai tỉnh bố trí kinh phí khắc phục. Nơi nhận: - Như trên; - Lưu: VT. "
    "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Văn B")


def test_web_copy_news_lead_in_is_left_out():
    rec = valid_record(WEB_COPY)
    doc = rec.document
    assert (doc["type"], doc["number"], doc["date"]) == ("Công điện", "15/CĐ-UBND", "2025-12-03")
    assert doc["issuer"] == "Ủy ban nhân dân tỉnh An Bình"
    # the bases are the document's own preamble (the Công điện's addressee list ends at its full
    # stop), not the lead-in's "Kế hoạch số 88/KH-UBND"
    assert rec.legal_bases == ["99/CĐ-TTg"]
    tasks = {t.path: t for t in rec.tasks}
    assert sorted(tasks) == ["1", "2"]
    # the dash before a body's role is no bullet, and the role is no part of the lead
    assert tasks["2"].title.startswith("Giao Sở Tài chính - Cơ quan thường trực")
    assert tasks["2"].lead == ["Sở Tài chính"]
    assert any("lead-in" in w for w in rec.warnings)


def test_a_decision_before_its_attached_plan_is_no_lead_in():
    text = ("QUYẾT ĐỊNH\nBan hành Kế hoạch phòng chống sạt lở\nCăn cứ Luật Phòng, chống thiên tai; Ủy ban "
            "nhân dân tỉnh An Bình quyết định ban hành Kế hoạch phòng chống sạt lở năm 2026 kèm theo "
            "Quyết định này và giao các sở, ngành tổ chức thực hiện.\n"
            "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 20/KH-UBND\n"
            "KẾ HOẠCH\nPhòng chống sạt lở năm 2026\n")
    from vanban.extract import news_lead_in
    from vanban.extract.layout import RawLine
    assert news_lead_in([RawLine(t, {}) for t in text.splitlines()]) == 0


# ------------------------------------------------------------------------------ header fields
def test_caps_issuer_takes_the_casing_the_body_writes():
    text = ("BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ\nSố: 12-TB/BCĐ\nAn Bình, ngày 05 tháng 12 năm 2025\n"
            "THÔNG BÁO\nKết luận của Trưởng ban tại phiên họp thứ ba\n"
            "Ngày 01/12/2025, Ban Chỉ đạo Chuyển đổi số họp phiên thứ ba. Ban Chỉ đạo Chuyển đổi số "
            "kết luận như sau:\n1. Sở Khoa học và Công nghệ khẩn trương hoàn thành nền tảng dữ liệu.\n")
    rec = extract_record(text)
    assert rec.document["issuer"] == "Ban Chỉ đạo Chuyển đổi số"


def test_decision_without_header_named_by_its_attached_plan_note():
    text = ("QUYẾT ĐỊNH\nBAN HÀNH KẾ HOẠCH PHÒNG CHỐNG SẠT LỞ NĂM 2026\n"
            "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCăn cứ Luật Phòng, chống thiên tai ngày 19 tháng 6 năm 2013;\n"
            "QUYẾT ĐỊNH:\nĐiều 1. Ban hành kèm theo Quyết định này Kế hoạch phòng chống sạt lở năm 2026.\n"
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
            "Nơi nhận:\n- Như Điều 2;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn A\n"
            "KẾ HOẠCH\nPHÒNG CHỐNG SẠT LỞ NĂM 2026\n"
            "(Ban hành kèm theo Quyết định số 301/QĐ-UBND ngày 04 tháng 12 năm 2025 của Ủy ban nhân dân tỉnh)\n"
            "I. MỤC ĐÍCH\n1. Chủ động phòng chống sạt lở.\nII. NHIỆM VỤ\n"
            "1. Sở Xây dựng rà soát các điểm sạt lở.\n")
    doc = extract_record(text).document
    assert (doc["number"], doc["date"]) == ("301/QĐ-UBND", "2025-12-04")


# --------------------------------------------------------------- flattened task headings
PLAN_ONE_LINE = (
    "ỦY BAN NHÂN DÂN TỈNH AN BÌNH Số: 77/KH-UBND An Bình, ngày 01 tháng 12 năm 2025 KẾ HOẠCH Nâng cao "
    "năng lực phòng chống thiên tai năm 2026 I. MỤC ĐÍCH 1. Nâng cao nhận thức của cộng đồng về thiên tai. "
    "II. NHIỆM VỤ 1. Hoàn thiện cơ chế, chính sách và tài liệu hướng dẫn cộng đồng về phòng chống thiên "
    "tai dựa vào cộng đồng tại các xã ven biển - Triển khai rà soát các văn bản hướng dẫn hiện hành. "
    "- Tổ chức tập huấn cho cán bộ cấp xã. 2. Đề nghị các đơn vị được giao làm chủ đầu tư dự án đê biển: "
    "a. Chủ động phối hợp với các sở, ngành của Tỉnh rà soát hồ sơ. b. Báo cáo kết quả trước ngày "
    "15/12/2025. 3. Các cơ quan tham mưu quản lý ngành, lĩnh vực (gồm các Sở: Xây dựng, Tài chính) "
    "- Hướng dẫn các xã thực hiện. III. TỔ CHỨC THỰC HIỆN 1. Sở Nông nghiệp và Môi trường theo dõi, "
    "đôn đốc. Nơi nhận: - Như trên; - Lưu: VT. TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Lê Văn C")


def test_one_line_plan_heading_ends_at_its_first_bullet_and_letter_items():
    tasks = {t.path: t for t in extract_record(PLAN_ONE_LINE).tasks}
    # a long heading, then "- Triển khai …": the bullet is its first sub-item
    assert tasks["II.1"].title == ("Hoàn thiện cơ chế, chính sách và tài liệu hướng dẫn cộng đồng về phòng "
                                   "chống thiên tai dựa vào cộng đồng tại các xã ven biển")
    # "a. …" after a colon is a lettered sub-item, not the heading's text
    assert tasks["II.2"].title == "Đề nghị các đơn vị được giao làm chủ đầu tư dự án đê biển:"
    # "các sở, ngành của Tỉnh": the province written as a name stays on the partner
    assert tasks["II.2"].partners == ["các sở, ngành của Tỉnh"]
    # a group named with its members in brackets leads its item
    assert tasks["II.3"].lead == ["Các cơ quan tham mưu quản lý ngành, lĩnh vực"]


def test_a_title_governs_its_whole_list_and_an_addressee_heading_is_all_addressees():
    assert split_agencies("người đứng đầu các cơ quan chuyên môn, các đơn vị sự nghiệp công lập trực thuộc "
                          "Ủy ban nhân dân tỉnh") == [
        "người đứng đầu các cơ quan chuyên môn, các đơn vị sự nghiệp công lập trực thuộc Ủy ban nhân dân tỉnh"]
    text = ("Kính gửi: Các sở, ngành.\nỦy ban nhân dân tỉnh yêu cầu:\n"
            "1. Giao người đứng đầu các cơ quan chuyên môn, cơ quan hành chính khác thuộc Ủy ban nhân dân "
            "tỉnh; Chủ tịch Ủy ban nhân dân các xã, phường và đặc khu\n"
            "- Rà soát, cập nhật cơ sở dữ liệu cán bộ, công chức, hoàn thành trước ngày 10/12/2025.\n"
            "2. Sở Nội vụ tổng hợp, báo cáo Ủy ban nhân dân tỉnh.\n"
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Văn C\n")
    tasks = {t.path: t for t in extract_record(text).tasks}
    assert tasks["1"].lead == ["người đứng đầu các cơ quan chuyên môn, cơ quan hành chính khác thuộc Ủy ban "
                               "nhân dân tỉnh", "Chủ tịch Ủy ban nhân dân các xã, phường và đặc khu"]


def test_deadlines_with_an_hour_or_without_ngay_and_a_dangling_dash():
    from vanban.extract.items import deadline_of
    assert deadline_of("báo cáo Bộ Xây dựng trước 17 giờ ngày 27/11/2025 để tổng hợp") == \
        "trước 17 giờ ngày 27/11/2025"
    assert deadline_of("số hóa hồ sơ, hoàn thành trước 30/11/2025. Gửi báo cáo trước ngày 05/12/2025") == \
        "trước 30/11/2025; trước ngày 05/12/2025"
    assert deadline_of("các bệnh viện cấp cơ bản trước 01/01/2025 là tuyến huyện") is None  # no deadline
    text = ("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH Số: 901/BVHTTDL-VP V/v số hóa thủ tục hành chính Kính gửi: Các "
            "cục thuộc Bộ. Thực hiện Công điện số 220/CĐ-TTg ngày 18/11/2025 của Thủ tướng Chính phủ, Bộ "
            "Văn hóa yêu cầu: 1. Các đơn vị có thủ tục hành chính - Thực "
            "hiện nghiêm túc việc lấy ý kiến, hoàn thành trước 30/11/2025. 2. Văn phòng Bộ theo dõi, "
            "đôn đốc. Nơi nhận: - Như trên; - Lưu: VT. KT. BỘ TRƯỞNG THỨ TRƯỞNG Vũ Văn H")
    tasks = {t.path: t for t in extract_record(text).tasks}
    assert tasks["1"].title == "Các đơn vị có thủ tục hành chính"
    assert tasks["1"].timeframe == "trước 30/11/2025"


ONE_REQUEST_LETTER = (
    "SỞ NỘI VỤ TỈNH AN BÌNH\nSố: 511/SNV-TCBC\nV/v rà soát vị trí việc làm\n"
    "An Bình, ngày 02 tháng 12 năm 2025\nKính gửi: - Các sở, ngành; - Ủy ban nhân dân các xã.\n"
    "Thực hiện Văn bản số 8091/BNV-TCBC ngày 17/9/2025 của Bộ Nội vụ, Sở Nội vụ đã có Văn bản số "
    "400/SNV-TCBC đề nghị các sở báo cáo thực trạng. Để việc rà soát được thống nhất theo đúng yêu cầu "
    "của Ủy ban nhân dân tỉnh, đề nghị các sở, ngành, địa phương khẩn trương tổng hợp số liệu (sở, "
    "ngành theo Phụ lục 1; địa phương theo Phụ lục 2) và gửi về Sở Nội vụ trước ngày 10/12/2025. "
    "Đề nghị các cơ quan quan tâm thực hiện./.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nGIÁM ĐỐC\nLê Văn D\n")


@pytest.mark.parametrize("flatten", [False, True])
def test_one_request_after_a_comma_with_the_issuer_unsaid(flatten):
    tasks = valid_record(ONE_REQUEST_LETTER, flatten).tasks
    assert [t.path for t in tasks] == [""]
    assert_tasks(tasks, {"": {"title": starts_with("Để việc rà soát") & ends_with("trước ngày 10/12/2025."),
                              "lead": ["các sở, ngành, địa phương"], "timeframe": "trước ngày 10/12/2025"}})


# ------------------------------------------------------------- what an archive does to a text
def _wrap(text: str, width: int = 70) -> str:
    out = []
    for line in text.split("\n"):
        while len(line) > width:
            cut = line.rfind(" ", 0, width)
            out.append(line[:cut])
            line = line[cut + 1:]
        out.append(line)
    return "\n".join(out)


def test_run_on_copy_hard_wrapped_at_a_page_width_gives_the_same_tasks():
    one_line = {t.path: t.title for t in extract_record(PLAN_ONE_LINE).tasks}
    wrapped = {t.path: t.title for t in extract_record(_wrap(PLAN_ONE_LINE)).tasks}
    assert wrapped == one_line and len(one_line) == 3


def test_a_section_numeral_before_a_casing_slip_still_opens_the_section():
    # most of the heading's first words still caps: "II. nhiệm VỤ VÀ GIẢI PHÁP"
    slipped = PLAN_ONE_LINE.replace("II. NHIỆM VỤ", "II. nhiệm VỤ VÀ GIẢI PHÁP")
    rec = extract_record(slipped)
    assert [t.path for t in rec.tasks] == ["II.1", "II.2", "II.3"]


@pytest.mark.parametrize("perturb", [
    lambda t: t.replace("\n", "\r\n"),
    lambda t: t.replace("\n", "\n\n\n"),
    lambda t: " ".join(t.split()),
])
def test_line_endings_blank_lines_and_flattening_keep_the_tasks(perturb):
    assert {t.path: t.lead for t in extract_record(perturb(DIRECTIVE)).tasks} == \
        {t.path: t.lead for t in extract_record(DIRECTIVE).tasks}


@pytest.mark.parametrize("flatten", [False, True])
def test_one_line_conclusion_closing_without_colon_or_personal_title(flatten):
    text = ("TỈNH ỦY AN BÌNH Số 45-KL/TU An Bình, ngày 03 tháng 12 năm 2025 KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY "
            "VỀ PHÁT TRIỂN ĐÔ THỊ Tại phiên họp ngày 01/12/2025, Ban Thường vụ Tỉnh ủy kết luận như sau: "
            "1. Giao Đảng ủy Ủy ban nhân dân tỉnh lãnh đạo rà soát quy hoạch đô thị (hoàn thành trong tháng "
            "12/2025); làm tốt công tác tuyên truyền để Nhân dân hiểu rõ mục tiêu, ý nghĩa. Nơi nhận: - Các "
            "huyện ủy, thành ủy, - Các đảng ủy trực thuộc Tỉnh ủy, - Các đồng chí Tỉnh ủy viên, - Lưu Văn phòng "
            "Tỉnh ủy. T/M BAN THƯỜNG VỤ Trần Văn Ân Kết luận 45-KL/TU năm 2025 về phát triển đô thị")
    rec = extract_record(text if flatten else text)  # the text is one line already
    assert rec.objectives == []                       # "mục tiêu" inside an item is no objective
    assert [t.path for t in rec.tasks] == ["1"]
    assert rec.signature["title"] == "T/M BAN THƯỜNG VỤ" and rec.signature["name"] == "Trần Văn Ân"


def test_flattened_heading_ends_at_any_bullet_but_not_inside_a_name():
    text = ("ỦY BAN NHÂN DÂN TỈNH AN BÌNH Số: 78/KH-UBND An Bình, ngày 02 tháng 12 năm 2025 KẾ HOẠCH Phát "
            "triển viễn thông năm 2026 I. MỤC ĐÍCH 1. Phủ sóng các thôn vùng cao. II. NHIỆM VỤ 1. Nâng cao "
            "nhận thức của chính quyền các cấp và người dân về chuyển đổi số tại các xã vùng cao biên giới "
            "- Trong phạm vi chức năng, nhiệm vụ, tổ chức tuyên truyền. 2. Các Bộ, cơ quan liên quan và "
            "các Tập đoàn: Bưu chính Viễn thông Việt Nam, Công nghiệp - Viễn thông Quân đội theo chức "
            "năng, nhiệm vụ phối hợp với Tỉnh lắp đặt trạm phát sóng. III. TỔ CHỨC THỰC HIỆN 1. Sở Khoa học "
            "và Công nghệ theo dõi, đôn đốc. Nơi nhận: - Như trên; - Lưu: VT. TM. ỦY BAN NHÂN DÂN KT. CHỦ "
            "TỊCH PHÓ CHỦ TỊCH Lê Văn C")
    tasks = {t.path: t for t in extract_record(text).tasks}
    assert tasks["II.1"].title.endswith("tại các xã vùng cao biên giới")
    assert "Công nghiệp - Viễn thông Quân đội theo chức năng" in tasks["II.2"].title  # a name's dash


@pytest.mark.parametrize("text, names", [
    ("Sở Xây dựng (Cơ quan Thường trực về phòng, chống thiên tai), Sở Y tế",
     ["Sở Xây dựng", "Sở Y tế"]),                                   # a role in brackets is no name
    ("Nhà đầu tư (Tập đoàn An Phát)", ["Nhà đầu tư (Tập đoàn An Phát)"]),
])
def test_role_in_brackets_is_dropped_a_name_in_brackets_kept(text, names):
    assert split_agencies(text) == names


def test_partner_names_end_at_lien_quan_and_keep_thanh_tra():
    from vanban.extract.items import _after_phoi_hop
    text = "chủ trì, phối hợp với cơ quan thanh tra khẩn trương rà soát"
    assert _after_phoi_hop(text, text.index("phối hợp") + len("phối hợp")) == ["cơ quan thanh tra"]
    text = "phối hợp với các đơn vị liên quan quản lý chặt chẽ nguồn vốn"
    assert _after_phoi_hop(text, text.index("phối hợp") + len("phối hợp")) == ["các đơn vị liên quan"]


def test_plural_group_after_a_comma_slash_units_and_a_remark_in_brackets():
    assert split_agencies("các doanh nghiệp địa phương, các lực lượng vũ trang") == [
        "các doanh nghiệp địa phương", "các lực lượng vũ trang"]
    from vanban.extract.agencies import agency_spans
    text = "phối hợp các sở, ngành, UBND các xã/phường thực hiện"
    assert [text[a:b] for a, b in agency_spans(text)] == ["các sở, ngành, UBND các xã/phường"]
    text = "các sở, ngành, địa phương (có công trình khởi công) thực hiện"
    assert [text[a:b] for a, b in agency_spans(text)] == ["các sở, ngành, địa phương"]


def test_implementation_item_heading_run_on_into_its_verb():
    from vanban.extract.items import _agency_run_on
    assert _agency_run_on("Sở Tư pháp Chủ trì, phối hợp với các sở, ngành theo dõi việc thi hành:") == "Sở Tư pháp"
    # a capitalised name after a bare head is the body's name, not a verb
    text = "Viện Nghiên cứu phát triển tỉnh phối hợp thực hiện."
    assert _agency_run_on(text) == text
    # "Sở Tài chính: Tham mưu …" is one sentence as written
    text = "Sở Tài chính: Tham mưu bố trí kinh phí."
    assert _agency_run_on(text) == text
