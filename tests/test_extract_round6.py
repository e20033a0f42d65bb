"""extract, issue 13 round 6: failure classes (signer blocks, titles, ...) each shown on a small
made-up text of the same shape (not the evaluation texts)."""

from __future__ import annotations

import pytest

from vanban.extract.header import parse_signature
from tests.support.expected_tasks import assert_tasks, ends_with, starts_with
from tests.support.records import valid_record


def _letter(closing: str, after: str = "") -> str:
    return (
        "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 41/UBND-KT\nAn Bình, ngày 03 tháng 3 năm 2025\n"
        "V/v rà soát hồ sơ đất đai tồn đọng\n"
        "Kính gửi: Các sở, ban, ngành thuộc tỉnh.\n"
        "Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành thực hiện các nội dung sau:\n"
        "1. Rà soát hồ sơ đất đai tồn đọng trên địa bàn, báo cáo trước ngày 30/3/2025.\n"
        "2. Sở Tài chính tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT, KT.\n" + closing + after
    )

SIGNED = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nĐỗ Minh Tâm\n"
#: The close of a made-up document: recipients, then the signature block.
CLOSING = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n" + SIGNED
ITEM_1 = "1. Rà soát hồ sơ đất đai tồn đọng trên địa bàn, báo cáo trước ngày 30/3/2025.\n"
ITEM_2 = "2. Sở Tài chính tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh.\n"


def _letter_with(items: str, item_1: str = ITEM_1) -> str:
    """The signed letter with its item 2 replaced by ``items`` (and its item 1 by ``item_1``)."""
    return _letter(SIGNED).replace(ITEM_1, item_1).replace(ITEM_2, items)


#: Each made-up text below whose test is only about its tasks, under its test's name: the text
#: and the tasks it must give (see tests.support.expected_tasks), checked as written and
#: flattened by test_made_up_text_gives_its_tasks at the end of this file.
TASK_CASES: dict[str, tuple[str, dict]] = {}


# ------------------------------------------------------------- signer blocks
@pytest.mark.parametrize("caps, title", [
    # the signer's own title is the last known title of the block, whatever came before it
    ("K/T GIÁM ĐỐC PHÓ GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("TM. HỘI ĐỒNG NHÂN DÂN CHỦ TỊCH", "CHỦ TỊCH"),
    ("TUQ. CHỦ TỊCH VIỆN TRƯỞNG", "VIỆN TRƯỞNG"),
    ("TL. BỘ TRƯỞNG KT. CỤC TRƯỞNG PHÓ CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),
    ("TM. ỦY BAN NHÂN DÂN BỘ TRƯỞNG", "BỘ TRƯỞNG"),
])
def test_signer_title_is_the_last_title_of_the_block(caps, title):
    assert parse_signature(caps, "Đỗ Minh Tâm")["title"] == title


@pytest.mark.parametrize("flatten", [False, True])
def test_signature_block_as_separate_lines(flatten):
    sig = valid_record(_letter("K/T GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nĐỗ Minh Tâm\n"), flatten).signature
    assert (sig["title"], sig["name"]) == ("PHÓ GIÁM ĐỐC", "Đỗ Minh Tâm")


@pytest.mark.parametrize("block, title", [
    # authority marks and a title's qualifier between two titles keep the block together
    ("TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG PHÓ CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"),
    ("KT. TRƯỞNG BAN PHÓ TRƯỞNG BAN THƯỜNG TRỰC PHÓ GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
])
def test_run_on_signature_block_with_marks_between_titles(block, title):
    sig = valid_record(_letter(block + " Đỗ Minh Tâm"), flatten=True).signature
    assert (sig["title"], sig["name"]) == (title, "Đỗ Minh Tâm")


@pytest.mark.parametrize("after, name", [
    # a sentence opening after the name ("Công văn số …") is no part of it
    (" Công văn số 12/UBND-KT ngày 01/02/2025 của Ủy ban nhân dân tỉnh.", "Đỗ Minh Tâm"),
    # a footnote's lower-case text after a three-word name leaves the name whole
    (" trong đó: 5 hồ sơ đã giải quyết.", "Đỗ Minh Tâm"),
    # a list of places after the name: the first place is no part of it
    (" Sơn La, Lào Cai, Yên Bái.", "Đỗ Minh Tâm"),
])
def test_run_on_signer_name_ends_before_what_follows(after, name):
    sig = valid_record(_letter("KT. CHỦ TỊCH PHÓ CHỦ TỊCH Đỗ Minh Tâm", after), flatten=True).signature
    assert (sig["title"], sig["name"]) == ("PHÓ CHỦ TỊCH", name)


# ------------------------------------------------------------- titles
DECISION = (
    "SỞ NỘI VỤ TỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 120/QĐ-SNV\nAn Bình, ngày 10 tháng 4 năm 2025\n"
    "QUYẾT ĐỊNH\nVỀ VIỆC KIỆN TOÀN TỔ CÔNG TÁC CHUYỂN ĐỔI SỐ\nGIÁM ĐỐC SỞ NỘI VỤ\n"
    "Căn cứ Quyết định số 15/2025/QĐ-UBND ngày 01/3/2025 của Ủy ban nhân dân tỉnh;\n"
    "Theo đề nghị của Chánh Văn phòng Sở.\nQUYẾT ĐỊNH:\n"
    "Điều 1. Kiện toàn Tổ công tác chuyển đổi số của Sở Nội vụ.\n"
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
)


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("text, title", [
    pytest.param(DECISION, "về việc kiện toàn tổ công tác chuyển đổi số",
                 id="enacting_body_between_caps_title_and_preamble_is_no_part_of_the_title"),
    # "... CỦA HỘI ĐỒNG NHÂN DÂN TỈNH" complements the title: no enacting line to cut
    pytest.param(DECISION.replace("VỀ VIỆC KIỆN TOÀN TỔ CÔNG TÁC CHUYỂN ĐỔI SỐ\nGIÁM ĐỐC SỞ NỘI VỤ\n",
                                  "VỀ VIỆC THỰC HIỆN NGHỊ QUYẾT CỦA HỘI ĐỒNG NHÂN DÂN TỈNH\n"),
                 "về việc thực hiện nghị quyết của hội đồng nhân dân tỉnh",
                 id="title_complement_naming_a_body_is_kept"),
])
def test_decision_title_lower_cased(text, title, flatten):
    assert valid_record(text, flatten).document["title"].lower() == title


STORM_TELEGRAM = (
    "THỦ TƯỚNG CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 77/CĐ-TTg\nHà Nội, ngày 02 tháng 9 năm 2025\n"
    "CÔNG ĐIỆN\nVỀ VIỆC CHỦ ĐỘNG ỨNG PHÓ BÃO SỐ 5 TẠI KHU VỰC BẮC TRUNG BỘ\n"
    "THỦ TƯỚNG CHÍNH PHỦ điện:\n- Chủ tịch Ủy ban nhân dân các tỉnh ven biển;\n- Bộ trưởng Bộ Quốc phòng.\n"
    "Bão số 5 đang di chuyển nhanh vào đất liền, gây mưa rất to.\n"
    "1. Chủ tịch Ủy ban nhân dân các tỉnh ven biển chỉ đạo sơ tán người dân khỏi vùng nguy hiểm.\n"
    "2. Bộ Quốc phòng bố trí lực lượng, phương tiện sẵn sàng cứu hộ.\n"
)


@pytest.mark.parametrize("flatten", [False, True])
def test_region_in_a_caps_title_keeps_its_capitals(flatten):
    # the body never repeats "Bắc Trung Bộ": the region names (data) lend the casing
    doc = valid_record(STORM_TELEGRAM, flatten).document
    assert doc["title"] == "Về việc chủ động ứng phó bão số 5 tại khu vực Bắc Trung Bộ"


# ------------------------------------------------ a group of heads sharing a list of members
GROUP_LETTER = _letter_with(
    "2. Các Sở, ngành: Tài chính, Xây dựng, Văn hóa, Thể thao và Du lịch theo chức năng, nhiệm vụ "
    "khẩn trương rà soát các dự án chậm tiến độ, báo cáo Ủy ban nhân dân tỉnh.\n"
    "3. Các Sở, cơ quan liên quan và các Tổng công ty: Cấp nước An Bình, Môi trường đô thị phối hợp "
    "thực hiện.\n")

TASK_CASES["group_of_heads_with_members_is_one_lead_and_no_heading"] = (GROUP_LETTER, {
    # "Các Sở, ngành:" opens the members' list: no heading run on into the item
    "2": {"title": starts_with("Các Sở, ngành: Tài chính, Xây dựng, Văn hóa, Thể thao và Du lịch theo"),
          "lead": ["Các Sở, ngành: Tài chính, Xây dựng, Văn hóa, Thể thao và Du lịch"]},
    "3": {"title": starts_with("Các Sở, cơ quan liên quan và các Tổng công ty: Cấp nước")},
})


def test_split_agencies_keeps_a_group_of_heads_with_its_members():
    from vanban.extract.agencies import split_agencies
    assert split_agencies("các tập đoàn, tổng công ty: Điện lực An Bình, Cấp nước Tân Hà") == \
        ["các tập đoàn, tổng công ty: Điện lực An Bình, Cấp nước Tân Hà"]
    # a group that is no list of heads stays split at its bodies
    assert split_agencies("các dự án trọng điểm: Sở Y tế, Sở Tài chính") == \
        ["các dự án trọng điểm: Sở Y tế", "Sở Tài chính"]


# ------------------------------------------------ a topic heading listing several topics
TOPICS_LETTER = _letter_with(
    "2. Về dự án đường nối Lai Châu - Lào Cai - Cửa khẩu Ma Lù Thàng; dự án cầu Bản Mế qua sông Chảy: "
    "Sở Xây dựng chủ động làm việc với nhà đầu tư; trên cơ sở đó, báo cáo Ủy ban nhân dân tỉnh xem xét.\n")

TASK_CASES["topic_heading_listing_several_topics_and_a_chain_of_places"] = (TOPICS_LETTER, {
    # the dash between places of a route is no bullet, even the second one of the chain
    "2": {"title": "Về dự án đường nối Lai Châu - Lào Cai - Cửa khẩu Ma Lù Thàng; dự án cầu Bản Mế qua sông Chảy:",
          "lead": ["Sở Xây dựng"]},
})


# ------------------------------------------- a body's name wrapped after its head (line breaks kept)
WRAPPED_CONCLUSION = """ỦY BAN NHÂN DÂN TỈNH AN BÌNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 210/TB-UBND
An Bình, ngày 05 tháng 11 năm 2025
THÔNG BÁO
KẾT LUẬN CỦA CHỦ TỊCH UBND TỈNH TẠI BUỔI LÀM VIỆC VỀ PHÁT TRIỂN DU LỊCH
Ngày 01/11/2025, Chủ tịch UBND tỉnh chủ trì buổi làm việc với các sở, ngành
về tình hình phát triển du lịch trên địa bàn tỉnh. Sau khi nghe báo cáo của
các đơn vị, Chủ tịch UBND tỉnh kết luận và chỉ đạo như sau:
1. Giao UBND huyện Hồ Nam thực hiện các nội dung sau:
a) Rà soát quy hoạch các điểm du lịch cộng đồng trên địa bàn huyện, đề xuất
điều chỉnh phù hợp với quy hoạch tỉnh, báo cáo Ủy ban nhân dân tỉnh.
b) Phối hợp chặt chẽ với Sở Văn hóa, Thể thao và Du lịch, Ban Quản lý
Khu du lịch Hồ Núi Xanh và các doanh nghiệp lữ hành để quảng bá sản phẩm
du lịch đặc trưng của địa phương trong năm 2026.
2. Sở Tài chính tham mưu bố trí kinh phí xúc tiến du lịch năm 2026.
""" + CLOSING


def test_wrapped_body_name_after_its_head_is_no_heading_end():
    tasks = {t.path: t for t in valid_record(WRAPPED_CONCLUSION).tasks}
    assert "Ban Quản lý Khu du lịch Hồ Núi Xanh" in tasks["1"].partners


# ------------------------------------------- the central body of a mass organisation
def test_central_body_of_a_mass_organisation_is_one_agency():
    from vanban.extract.agencies import agency_spans
    text = "Trung ương Hội Nông dân Việt Nam, Bộ Công Thương và các địa phương ở trung ương"
    assert [text[a:b] for a, b in agency_spans(text)][0].startswith("Trung ương Hội Nông dân Việt Nam")


TASK_CASES["central_body_leads_its_task"] = (_letter_with(
    "2. Đề nghị Trung ương Hội Nông dân Việt Nam chủ trì, phối hợp với Sở Nông nghiệp và Môi trường "
    "hướng dẫn nông dân chuyển đổi cây trồng.\n"),
    {"2": {"lead": ["Trung ương Hội Nông dân Việt Nam"], "partners": ["Sở Nông nghiệp và Môi trường"]}})


# ------------------------------------------- an item that approves a proposal
TASK_CASES["approving_item_is_no_task_unless_it_assigns"] = (_letter_with(
    ITEM_2 + "3. Đồng ý chủ trương lập quy hoạch khu dân cư mới. Giao Sở Xây dựng hướng dẫn chủ đầu tư "
    "thực hiện theo quy định.\n",
    item_1="1. Chấp thuận đề nghị của Sở Xây dựng tại Công văn số 88/SXD-QLN về danh mục nhà ở xã hội "
    "trên địa bàn tỉnh (theo Phụ lục đính kèm).\n"), {
    "1": None,                          # approves, assigns nothing
    "3": {"lead": ["Sở Xây dựng"]},     # approves and assigns: a task
    "2": {},
})


# ------------------------------------------- a lead-in, then "yêu cầu các Sở: A; B; C" and the verb
TASK_CASES["group_and_members_after_a_lead_in_lead_the_item"] = (_letter_with(ITEM_2, item_1=(
    "1. Đối với 12 thủ tục cần phân cấp cho cấp xã (danh mục theo Báo cáo số 45/BC-SNV của Sở Nội vụ), "
    "yêu cầu các Sở: Tư pháp; Xây dựng; Công Thương xây dựng phương án phân cấp, báo cáo Ủy ban "
    "nhân dân tỉnh trước ngày 20/4/2025.\n")),
    {"1": {"title": ends_with("báo cáo Ủy ban nhân dân tỉnh trước ngày 20/4/2025."),
           "lead": ["các Sở: Tư pháp; Xây dựng; Công Thương"]}})


# ------------------------------------------- the union over a topic heading's lettered parts
PARTS_LETTER = _letter_with(
    "2. Khôi phục sản xuất sau mưa lũ\n"
    "a) Sở Nông nghiệp và Môi trường tiếp tục cung ứng giống cây trồng cho nông dân. Chỉ đạo Trung tâm "
    "Khuyến nông tỉnh, Công ty Giống cây trồng An Bình hỗ trợ kỹ thuật gieo trồng.\n"
    "b) Sở Công Thương chỉ đạo các tổng công ty, công ty: Điện lực An Bình, Cấp nước An Bình khẩn trương "
    "khôi phục hệ thống điện, nước sạch.\n"
    "c) Liên minh Hợp tác xã tỉnh hỗ trợ các hợp tác xã tiếp cận vốn vay.\n"
    "d) Khuyến khích các doanh nghiệp trên địa bàn hỗ trợ người dân khôi phục sản xuất.\n")

TASK_CASES["lettered_parts_directed_encouraged_and_alliance_bodies_lead"] = (PARTS_LETTER, {"2": {"lead": [
    "Sở Nông nghiệp và Môi trường",
    # "Chỉ đạo X, Y …" after the part's first sentence: the bodies directed
    "Trung tâm Khuyến nông tỉnh", "Công ty Giống cây trồng An Bình",
    "Sở Công Thương",
    # "chỉ đạo các tổng công ty, công ty: A, B …": the group directed, with its members
    "các tổng công ty, công ty: Điện lực An Bình, Cấp nước An Bình",
    "Liên minh Hợp tác xã tỉnh",                  # a capitalised head (agencies.json)
    "các doanh nghiệp trên địa bàn",              # "Khuyến khích X …" (headings.json)
]}})


# ------------------------------------------- long headings in a flattened text
LONG_HEADINGS = _letter_with(
    "2. Khôi phục hạ tầng giao thông, thủy lợi, điện, nước sạch, viễn thông, trường học và trạm y tế bị "
    "hư hỏng sau bão lũ tại các xã vùng cao biên giới\n"
    "a) Sở Xây dựng khẩn trương khôi phục các tuyến đường tỉnh bị sạt lở.\n"
    "b) Sở Y tế bảo đảm hoạt động của các trạm y tế xã.\n"
    "3. Hoàn thành việc sắp xếp, kiện toàn các đơn vị sự nghiệp công lập thuộc tỉnh theo đúng lộ trình, "
    "bảo đảm tinh gọn, hiệu lực, hiệu quả và đáp ứng yêu cầu phát triển trong giai đoạn mới\n"
    "Hoàn thành rà soát chức năng, nhiệm vụ của từng đơn vị trong quý II năm 2025.\n")

TASK_CASES["long_heading_ends_before_its_first_part_or_sentence"] = (LONG_HEADINGS, {
    # a heading over 100 characters, then "a) …" run on: the lettered part is cut off
    "2": {"title": ends_with("tại các xã vùng cao biên giới"), "lead": ["Sở Xây dựng", "Sở Y tế"]},
    # a heading of many words, then a sentence opening with a verb ("Hoàn thành …")
    "3": {"title": ends_with("đáp ứng yêu cầu phát triển trong giai đoạn mới")},
})


# ------------------------------------------- a group's location is part of its name
def test_group_location_qualifier_goes_on_the_name():
    from vanban.extract.items import leading_agencies
    assert leading_agencies("Sở Công Thương và các doanh nghiệp trên địa bàn tỉnh trong việc bình ổn giá") == \
        ["Sở Công Thương", "các doanh nghiệp trên địa bàn tỉnh"]
    assert leading_agencies("các đơn vị quân đội đóng quân tại địa bàn, Công an xã tăng cường tuần tra") == \
        ["các đơn vị quân đội đóng quân tại địa bàn", "Công an xã"]
    # a named body keeps its name only ("trên địa bàn" is where it acts)
    assert leading_agencies("Sở Y tế trên địa bàn tỉnh kiểm tra") == ["Sở Y tế"]


# ------------------------------------------- deadlines
@pytest.mark.parametrize("text, deadline", [
    ("Thời hạn hoàn thành chậm nhất ngày 15/4/2025.", "chậm nhất ngày 15/4/2025"),
    ("Báo cáo quý gửi trước ngày 15 tháng 3 và báo cáo năm gửi trước ngày 15 tháng 12 theo quy định.",
     "trước ngày 15 tháng 3; trước ngày 15 tháng 12"),
    ("Hoàn thành trước ngày 15 tháng 3 năm 2026.", "trước ngày 15 tháng 3 năm 2026"),
])
def test_deadline_without_before_or_without_year(text, deadline):
    from vanban.extract.items import deadline_of
    assert deadline_of(text) == deadline


# ------------------------------------------- a label word that is the verb before its addressee
TASK_CASES["label_word_before_an_addressee_is_the_verb"] = (_letter_with(
    "2. Yêu cầu Ban Quản lý các khu công nghiệp tỉnh khẩn trương rà soát hồ sơ giao đất, báo cáo "
    "Ủy ban nhân dân tỉnh.\n"),
    {"2": {"title": starts_with("Yêu cầu Ban Quản lý các khu công nghiệp tỉnh khẩn trương rà soát"),
           "lead": ["Ban Quản lý các khu công nghiệp tỉnh"]}})


# ------------------------------------------- "Dự án X" inside a sentence is a name
TASK_CASES["capitalised_project_name_is_no_sentence_start"] = (_letter_with(
    "2. Về đề nghị Sở Tài chính xem xét, bố trí vốn Dự án đường ven biển đoạn Tân Hà - Bình An trong "
    "kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030.\n"),
    {"2": {"title": ends_with("trong kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030.")}})


# ------------------------------------------- headings of plans, flattened; "Thời hạn hoàn thành:"
PLAN_DUTIES = """ỦY BAN NHÂN DÂN TỈNH AN BÌNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 77/KH-UBND
An Bình, ngày 12 tháng 5 năm 2025
KẾ HOẠCH
Tổng rà soát hồ sơ đất đai năm 2025
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nắm chắc hiện trạng hồ sơ đất đai trên địa bàn tỉnh.
II. NHIỆM VỤ
1. Xây dựng Cổng thông tin đất đai dùng chung
Giao Sở Nông nghiệp và Môi trường chủ trì xây dựng cổng thông tin.
2. Trách nhiệm của đơn vị được giao quản lý hồ sơ:
- Lập danh sách hồ sơ tồn đọng theo mẫu.
Thời hạn hoàn thành: Trước ngày 30/6/2025.
- Báo cáo kết quả rà soát về Sở Nông nghiệp và Môi trường.
Thời hạn hoàn thành: Trước ngày 31/7/2025.
""" + CLOSING

TASK_CASES["plan_duty_heading_three_word_name_and_completion_deadline_label"] = (PLAN_DUTIES, {
    # "Cổng thông tin …" (capitalised_nouns, three words) does not open a sentence
    "II.1": {"title": "Xây dựng Cổng thông tin đất đai dùng chung"},
    # "Trách nhiệm của X:" is a heading, then its duties (flattened too); "Thời hạn hoàn thành: …"
    # labels the deadline as "Thời gian …" does
    "II.2": {"title": "Trách nhiệm của đơn vị được giao quản lý hồ sơ:",
             "timeframe": "Trước ngày 30/6/2025; Trước ngày 31/7/2025"},
})

TASK_CASES["long_heading_ending_in_a_year_then_a_request"] = (_letter_with(
    "2. Về triển khai thực hiện đánh giá, xếp loại chất lượng đối với tập thể lãnh đạo, quản lý và cá "
    "nhân các cơ quan, đơn vị thuộc tỉnh năm 2025\n"
    "Đề nghị các cơ quan, đơn vị gửi hồ sơ đánh giá về Sở Nội vụ trước ngày 15/12/2025.\n"),
    {"2": {"title": ends_with("các cơ quan, đơn vị thuộc tỉnh năm 2025")}})


def test_deadline_after_the_addressee_ends_it():
    from vanban.extract.items import directive_subject
    assert directive_subject("Giao Phó Chủ tịch Ủy ban nhân dân tỉnh Trần Văn Bình trước ngày 20 tháng 5 năm "
                             "2025 trực tiếp kiểm tra tiến độ", False) == \
        ["Phó Chủ tịch Ủy ban nhân dân tỉnh Trần Văn Bình"]


# ------------------------------------------- a document number with a decimal part
@pytest.mark.parametrize("flatten", [False, True])
def test_decimal_document_number_is_a_legal_basis(flatten):
    text = DECISION.replace(
        "Căn cứ Quyết định số 15/2025/QĐ-UBND ngày 01/3/2025 của Ủy ban nhân dân tỉnh;\n",
        "Căn cứ Quyết định số 15/2025/QĐ-UBND ngày 01/3/2025 của Ủy ban nhân dân tỉnh;\n"
        "Căn cứ Nghị quyết số 12.3/2025/NQ-HĐND ngày 20/02/2025 của Hội đồng nhân dân tỉnh;\n")
    assert valid_record(text, flatten).legal_bases == ["15/2025/QĐ-UBND", "12.3/2025/NQ-HĐND"]


# ------------------------------------------- a dump of three long lines
THREE_LINE_TELEGRAM = (
    "THỦ TƯỚNG CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: 88/CĐ-TTg "
    "Hà Nội, ngày 05 tháng 10 năm 2025 CÔNG ĐIỆN VỀ VIỆC KHẮC PHỤC HẬU QUẢ BÃO SỐ 9 TẠI CÁC TỈNH VEN BIỂN "
    "THỦ TƯỚNG CHÍNH PHỦ điện:\n"
    "- Chủ tịch Ủy ban nhân dân các tỉnh ven biển; - Bộ trưởng Bộ Xây dựng. Bão số 9 đã gây thiệt hại "
    "lớn về nhà ở của người dân tại các tỉnh ven biển từ An Bình đến Tân Hà: theo báo cáo nhanh của các "
    "địa phương, hơn 2.000 nhà bị sập đổ hoàn toàn, hơn 15.000 nhà bị tốc mái, hư hỏng nặng, nhiều "
    "trường học, trạm y tế bị ngập sâu, hàng nghìn hộ dân phải sơ tán đến nơi an toàn trong nhiều ngày "
    "liên tiếp, đời sống của người dân gặp rất nhiều khó khăn. Căn cứ chỉ đạo của Bộ Chính trị tại Kết luận số 45-KL/TW ngày 01/10/2025, "
    "Nghị quyết 120/NQ-CP ngày 02/10/2025 của Chính phủ, Thủ tướng Chính phủ yêu cầu: "
    "1. Chủ tịch Ủy ban nhân dân các tỉnh ven biển khẩn trương hỗ trợ người dân sửa chữa nhà ở. "
    "2. Bộ Xây dựng hướng dẫn các địa phương thiết kế nhà ở phòng, chống bão.\n"
    "Nơi nhận: - Như trên; - Lưu: VT, CN. KT. THỦ TƯỚNG PHÓ THỦ TƯỚNG Trần Văn Bình\n"
)


@pytest.mark.parametrize("flatten", [False, True])
def test_three_line_dump_reads_as_one_line(flatten):
    rec = valid_record(THREE_LINE_TELEGRAM, flatten)
    # the basis named in the lead-in after the addressees is found with or without the breaks
    assert rec.legal_bases == ["45-KL/TW", "120/NQ-CP"]
    assert [t.lead for t in rec.tasks] == [["Chủ tịch Ủy ban nhân dân các tỉnh ven biển"], ["Bộ Xây dựng"]]


@pytest.mark.parametrize("flatten", [False, True])
def test_what_an_article_cites_is_no_legal_basis(flatten):
    text = DECISION.replace("Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
                            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Thay thế Quyết định số "
                            "99/QĐ-SNV ngày 10 tháng 01 năm 2024 của Sở Nội vụ.")
    assert valid_record(text, flatten).legal_bases == ["15/2025/QĐ-UBND"]


def test_wrapped_addressee_line_continues_its_addressee():
    text = """VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH AN BÌNH
Số: 512/VP-KT
V/v cơ chế đặc thù xây dựng cầu Tân Hà
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
An Bình, ngày 12 tháng 6 năm 2025
Kính gửi:
- Các Sở: Tài chính, Xây dựng, Tư pháp,
Nông nghiệp và Môi trường;
- Ủy ban nhân dân xã Tân Hà.

Xét đề nghị của Ủy ban nhân dân xã Tân Hà tại văn bản số 45/TTr-UBND ngày
02 tháng 6 năm 2025, Phó Chủ tịch Ủy ban nhân dân tỉnh có ý kiến như sau:
Giao các Sở: Tài chính, Xây dựng, Tư pháp, Nông nghiệp và Môi trường có ý kiến đối với
đề xuất của Ủy ban nhân dân xã Tân Hà, gửi Sở Xây dựng tổng hợp trước ngày 20/6/2025.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHÁNH VĂN PHÒNG
PHÓ CHÁNH VĂN PHÒNG
Đỗ Minh Tâm
"""
    rec = valid_record(text)
    assert rec.document["addressees"] == ["Các Sở: Tài chính, Xây dựng, Tư pháp, Nông nghiệp và Môi trường",
                                          "Ủy ban nhân dân xã Tân Hà"]
    assert rec.legal_bases == ["45/TTr-UBND"]


def test_intro_the_flattened_abstract_ran_on_into_keeps_its_bases():
    text = ("ỦY BAN NHÂN DÂN TỈNH AN BÌNH Số: 07/CT-UBND CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - "
            "Hạnh phúc An Bình, ngày 02 tháng 8 năm 2025 CHỈ THỊ Về việc tăng cường phòng, chống sạt lở đất "
            "trên địa bàn tỉnh An Bình Mưa lớn kéo dài đã gây sạt lở nhiều tuyến đường. Chủ tịch UBND tỉnh yêu "
            "cầu các sở, ngành tiếp tục thực hiện Chỉ thị số 03/CT-UBND ngày 10/3/2025 và triển khai các nội "
            "dung sau: 1. Sở Xây dựng khẩn trương khắc phục các điểm sạt lở. 2. Sở Tài chính bố trí kinh phí "
            "khắc phục. Nơi nhận: - Như trên; - Lưu: VT. KT. CHỦ TỊCH PHÓ CHỦ TỊCH Đỗ Minh Tâm")
    rec = valid_record(text, flatten=True)
    assert rec.document["title"] == "Về việc tăng cường phòng, chống sạt lở đất trên địa bàn tỉnh An Bình"
    assert rec.legal_bases == ["03/CT-UBND"]


# ------------------------------------------- review of round 6: findings on made-up texts
def _plan(body: str) -> str:
    return (
        "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 152/KH-UBND\nAn Bình, ngày 14 tháng 7 năm 2025\nKẾ HOẠCH\n"
        "Triển khai công tác phòng, chống thiên tai năm 2025 trên địa bàn tỉnh\n"
        "Căn cứ Quyết định số 33/2025/QĐ-UBND ngày 02/4/2025 của Ủy ban nhân dân tỉnh;\n"
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai như sau:\n" + body + CLOSING
    )


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("who", ["Các sở, ban, ngành, địa phương xác định rõ trách nhiệm",
                                 "Ủy ban nhân dân các xã, phường bảo đảm phối hợp chặt chẽ"])
def test_requirement_label_then_an_agency_is_a_label_under_purposes_and_requirements(flatten, who):
    text = _plan("I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nChủ động phòng ngừa, ứng phó kịp thời với thiên tai.\n"
                 f"2. Yêu cầu\n{who} trong tổ chức thực hiện.\n"
                 "II. NHIỆM VỤ\n1. Sở Tài chính bố trí kinh phí thực hiện Kế hoạch.\n")
    rec = valid_record(text, flatten)
    assert any(who[:20] in r for r in rec.requirements), rec.requirements
    assert not any(who[:20] in p for p in rec.purposes), rec.purposes


TASK_CASES["item_that_approves_and_assigns_is_a_task"] = (_letter_with(
    "2. Chấp thuận đề nghị của Sở Tài chính tại Tờ trình số 21/TTr-STC ngày 02/3/2025; Sở Tài chính "
    "hướng dẫn các đơn vị thực hiện.\n"
    "3. Đông y cổ truyền được các cơ sở y tế phát triển theo hướng dẫn của Sở Y tế.\n"
    "4. Đồng ý bàn giao nhà làm việc cũ cho đơn vị quản lý theo quy định.\n",
    item_1="1. Đồng ý chủ trương xây dựng Trung tâm dữ liệu tỉnh, giao Sở Khoa học và Công nghệ chủ trì "
    "triển khai theo quy định.\n"), {
    "1": {"lead": ["Sở Khoa học và Công nghệ"]},
    "2": {},        # approves, then a clause assigns: a task
    "3": {},        # "Đông y" (medicine) is no approval
    "4": None,      # "bàn giao" assigns nothing
})


@pytest.mark.parametrize("flatten", [False, True])
def test_group_before_a_colon_then_a_sentence_is_a_heading(flatten):
    text = _letter_with(
        "2. Trách nhiệm của các sở, ngành: Chủ động phối hợp với Sở Tài chính rà soát hồ sơ tồn đọng.\n",
        item_1="1. Đối với các dự án: Sở Xây dựng khẩn trương rà soát hồ sơ, báo cáo Ủy ban nhân dân tỉnh.\n")
    expected = {"2": {"title": "Trách nhiệm của các sở, ngành:"}}
    if flatten:  # the run-on topic heading ends at its ":"
        expected["1"] = {"title": "Đối với các dự án:"}
    assert_tasks(valid_record(text, flatten).tasks, expected)


def test_opens_member_list_needs_a_group_of_heads_and_a_member_after():
    from vanban.extract.agencies import opens_member_list
    assert opens_member_list("yêu cầu các Bộ:", "Tài chính, Xây dựng khẩn trương …")
    assert not opens_member_list("Trách nhiệm của các sở, ngành:", "Chủ động phối hợp với Sở Tài chính")
    assert not opens_member_list("Đối với các dự án:", "Sở Xây dựng khẩn trương rà soát")


def test_long_dash_chain_of_capitalised_words_extracts_without_error():
    # a flattened dump with a 1500-link run "AB CD - AB CD - …" under a heading: the chain of
    # names is followed a few links back only (it once recursed along the whole run and failed)
    chain = " - ".join(["AB CD"] * 1500)
    text = _plan(f"I. NHIỆM VỤ\n1. Sở Tài chính bố trí kinh phí.\nII. {chain} - Sở Tài chính thực hiện.\n")
    rec = valid_record(text, flatten=True)
    assert rec.tasks


SENTENCE_NAMING_A_TITLE = (
    "Tiếp tục rà soát, hoàn thiện hồ sơ các dự án đầu tư công trọng điểm của tỉnh giai đoạn 2026 - "
    "2030 theo kế hoạch số 15 và Đề án Phát triển hạ tầng giao thông đã được phê duyệt.")
TASK_CASES["long_sentence_naming_a_document_title_is_not_cut"] = (
    _letter_with(ITEM_2, item_1=f"1. {SENTENCE_NAMING_A_TITLE}\n"), {"1": {"title": SENTENCE_NAMING_A_TITLE}})


def test_addressees_each_on_a_line_ending_in_a_comma_stay_separate():
    text = _letter(SIGNED).replace(
        "Kính gửi: Các sở, ban, ngành thuộc tỉnh.\n",
        "Kính gửi:\nSở Công Thương,\nSở Xây dựng,\nCông an tỉnh,\nỦy ban nhân dân các xã, phường.\n")
    assert valid_record(text).document["addressees"] == [
        "Sở Công Thương", "Sở Xây dựng", "Công an tỉnh", "Ủy ban nhân dân các xã, phường"]


@pytest.mark.parametrize("text, names", [
    # members with heads of their own are agencies of their own; the group only introduces them
    ("các cơ quan, đơn vị: Sở Y tế, Sở Tài chính", ["Sở Y tế", "Sở Tài chính"]),
    # bare members share the group's head: one name
    ("các Bộ: Tài chính, Xây dựng", ["các Bộ: Tài chính, Xây dựng"]),
])
def test_group_with_members_that_carry_their_own_heads_splits(text, names):
    from vanban.extract.agencies import split_agencies
    assert split_agencies(text) == names


@pytest.mark.parametrize("text, name", [
    ("Sở Công Thương phối hợp với các doanh nghiệp tại địa bàn tỉnh An Bình tổ chức hội chợ.",
     "các doanh nghiệp tại địa bàn tỉnh An Bình"),
    ("Sở Y tế phối hợp với các cơ quan Trung ương đóng trên địa bàn tỉnh rà soát phương án.",
     "các cơ quan Trung ương đóng trên địa bàn tỉnh"),
    ("Sở Y tế phối hợp với các doanh nghiệp trên địa bàn tỉnh Chủ động rà soát phương án.",
     "các doanh nghiệp trên địa bàn tỉnh"),
])
def test_group_location_keeps_the_place_name_and_stationed_bodies(text, name):
    from vanban.extract.agencies import agency_spans
    assert name in [text[a:b] for a, b in agency_spans(text)]


@pytest.mark.parametrize("caps, title, authority", [
    ("TM. BAN THƯỜNG VỤ PHÓ BÍ THƯ THƯỜNG TRỰC", "PHÓ BÍ THƯ THƯỜNG TRỰC", "TM. BAN THƯỜNG VỤ"),
    # a second office after "KIÊM" is the same signer's title, no authority
    ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH KIÊM TRƯỞNG BAN CHỈ ĐẠO", "PHÓ CHỦ TỊCH KIÊM TRƯỞNG BAN CHỈ ĐẠO", "KT. CHỦ TỊCH"),
])
def test_signer_title_with_a_qualifier_or_a_second_office(caps, title, authority):
    sig = parse_signature(caps, "Đỗ Minh Tâm")
    assert (sig["title"], sig["authority"]) == (title, authority)


TASK_CASES["term_of_a_lease_is_no_timeframe"] = (_letter_with(
    "2. Sở Tài chính hướng dẫn nhà đầu tư ký hợp đồng thuê đất. Thời hạn thuê đất: 50 năm kể từ ngày ký "
    "hợp đồng.\n3. Sở Xây dựng kiểm tra hồ sơ. Thời hạn hoàn thành: tháng 6 năm 2025.\n"),
    {"2": {"timeframe": None}, "3": {"timeframe": "tháng 6 năm 2025"}})


# ------------------------------------------- every made-up text above with the tasks it must give
@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("text, expected", list(TASK_CASES.values()), ids=list(TASK_CASES))
def test_made_up_text_gives_its_tasks(text, expected, flatten):
    assert_tasks(valid_record(text, flatten).tasks, expected)
