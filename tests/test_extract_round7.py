"""extract, issue 13 round 7: general plan shapes (the val5 classes), each shown on a small
made-up plan of the same shape (not the evaluation texts)."""

from __future__ import annotations

import pytest

from tests.support.expected_tasks import Matches, assert_tasks
from tests.support.records import valid_record

_HEAD = (
    "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 77/KH-UBND\nAn Bình, ngày 12 tháng 4 năm 2025\n"
    "KẾ HOẠCH\nPhòng, chống cháy rừng năm 2025\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n1. Chủ động phòng ngừa, hạn chế thấp nhất thiệt hại do cháy rừng.\n"
)


def _plan(body: str) -> str:
    return _HEAD + body + "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"


def _tasks(body: str, flatten: bool = False) -> dict:
    return {t.path: t for t in valid_record(_plan(body), flatten).tasks}


def lacks(item) -> Matches:
    """A list that does not hold ``item``."""
    return Matches(lambda got: isinstance(got, list) and item not in got, f"lacks({item!r})")


def other_than(value) -> Matches:
    return Matches(lambda got: got != value, f"other_than({value!r})")


#: Each made-up plan below whose test is only about its tasks, under its test's name: the text
#: and the tasks it must give (see tests.support.expected_tasks), checked as written and
#: flattened by test_made_up_text_gives_its_tasks at the end of this file.
TASK_CASES: dict[str, tuple[str, dict]] = {}


# ------------------------------------------------- class 1: "Agency: duty" items
TASK_CASES["agency_colon_item_names_its_lead"] = (_plan(
    "II. PHÂN CÔNG NHIỆM VỤ\n"
    "1. Sở Nông nghiệp và Phát triển nông thôn\n- Chủ trì xây dựng phương án chữa cháy rừng.\n"
    "2. Sở Tài chính: Căn cứ dự toán được duyệt, bố trí kinh phí cho lực lượng kiểm lâm.\n"
    "3. Văn phòng UBND tỉnh: Phối hợp với Công an tỉnh theo dõi, đôn đốc việc thực hiện.\n"
    "4. Sở Y tế\n- Bảo đảm lực lượng cấp cứu tại chỗ.\n"), {
    "II.2": {"lead": ["Sở Tài chính"]},
    "II.3": {"lead": ["Văn phòng UBND tỉnh"], "partners": ["Công an tỉnh"]},
})


def test_topic_colon_item_names_no_lead():
    tasks = _tasks(
        "II. PHÂN CÔNG NHIỆM VỤ\n"
        "1. Sở Tài chính: Bố trí kinh phí cho lực lượng kiểm lâm.\n"
        "2. Kinh phí thực hiện: Từ ngân sách tỉnh, giao trong dự toán hằng năm.\n")
    assert tasks.get("II.2") is None or tasks["II.2"].lead == []


# ------------------------------------------ class 2: an item opening with its addressees
TASK_CASES["plan_item_opening_with_addressees_and_verb"] = (_plan(
    "II. NHIỆM VỤ, GIẢI PHÁP\n"
    "1. Các sở, ban, ngành thuộc tỉnh; UBND các huyện, thị xã tiếp tục tuyên truyền về phòng cháy rừng.\n"
    "2. Giám đốc các sở, ngành; Chủ tịch UBND các huyện có trách nhiệm: Kiểm tra lực lượng tại chỗ.\n"
    "3. Tổ chức diễn tập phương án chữa cháy rừng tại các huyện trọng điểm.\n"
    "4. Rà soát, bổ sung trang thiết bị chữa cháy cho các trạm kiểm lâm.\n"), {
    "II.1": {"lead": ["Các sở, ban, ngành thuộc tỉnh", "UBND các huyện, thị xã"]},
    "II.2": {"lead": ["Giám đốc các sở, ngành", "Chủ tịch UBND các huyện"]},
    "II.3": {"lead": []},  # the work opens the item: no addressee
    "II.4": {"lead": []},
})


# ------------------------- class 4: a step item whose paragraphs open with the bodies doing it
TASK_CASES["step_item_paragraph_opens_with_its_body"] = (_plan(
    "II. NỘI DUNG THỰC HIỆN\n"
    "1. Bước 1: Rà soát diện tích rừng có nguy cơ cháy cao.\n"
    "Ủy ban nhân dân các huyện tổ chức rà soát, lập bản đồ vùng trọng điểm.\n"
    "2. Bước 2: Phê duyệt phương án.\n"
    "Trên cơ sở đề nghị của Hạt Kiểm lâm, Sở Nông nghiệp và Môi trường thẩm định phương án.\n"
    "3. Bước 3: Cấp kinh phí.\n"
    "Sở Tài chính bố trí dự toán cho lực lượng chữa cháy.\n"), {
    "II.1": {"lead": ["Ủy ban nhân dân các huyện"]},
    "II.2": {"lead": ["Sở Nông nghiệp và Môi trường"]},  # past the lead-in clause
    "II.3": {"lead": ["Sở Tài chính"]},
})


def test_opening_subject_ends_where_a_name_ends():
    from vanban.extract.items import _opening_subject
    # "lập" is no subject end: the subject does not run on to the next verb ("Sở Tài chính lập hồ
    # sơ …"); since round 9 a particular body ends at the verb the lists do not know and leads
    assert _opening_subject("Sở Tài chính lập hồ sơ tạm ứng, đồng thời hướng dẫn các xã.") == ["Sở Tài chính"]
    assert _opening_subject("Các đơn vị cấp nước lập hồ sơ tạm ứng, đồng thời hướng dẫn các xã.") == []
    assert _opening_subject("Sở Tài chính chủ trì thẩm định dự toán.") == ["Sở Tài chính"]


# ------------------------------- class 2b: a directive's intro that ends with its addressees
def _directive(body: str, flatten: bool = False) -> dict:
    text = ("THỦ TƯỚNG CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 09/CT-TTg\nHà Nội, ngày 05 tháng 5 năm 2025\nCHỈ THỊ\nVề tăng cường phòng, chống cháy rừng\n"
            + body + "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n")
    return {t.path: t for t in valid_record(text, flatten).tasks}


def test_directive_intro_ending_with_addressees(flatten=False):
    tasks = _directive(
        "Để chủ động ứng phó với mùa khô, Thủ tướng Chính phủ yêu cầu Chủ tịch Ủy ban nhân dân các "
        "tỉnh, thành phố trực thuộc Trung ương:\n"
        "1. Chỉ đạo lực lượng kiểm lâm tăng cường tuần tra các khu rừng trọng điểm.\n"
        "2. Bố trí kinh phí cho công tác phòng cháy rừng.\n"
        "3. Sở Nông nghiệp và Môi trường có trách nhiệm tổng hợp, báo cáo kết quả.\n", flatten)
    addressee = ["Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"]
    assert tasks["1"].lead == addressee
    assert tasks["2"].lead == addressee
    assert tasks["3"].lead == ["Sở Nông nghiệp và Môi trường"]  # an item naming its own body


# --------------------------------------------- class 2c: the assignment written in brackets
TASK_CASES["assignment_in_brackets_names_the_lead"] = (_plan(
    "II. NHIỆM VỤ, GIẢI PHÁP\n"
    "1. Tổ chức kiểm tra công tác phòng cháy tại các khu rừng đặc dụng (Giao Sở Nông nghiệp và "
    "Môi trường tham mưu).\n"
    "2. Tuyên truyền về phòng cháy rừng trên các phương tiện thông tin đại chúng (thực hiện thường xuyên).\n"
    "3. Rà soát trang thiết bị chữa cháy.\n"), {
    "II.1": {"lead": ["Sở Nông nghiệp và Môi trường"]},
    "II.2": {"lead": []},
})


# ------------------------------------ class 5: lead lists cut at an adverb after a comma
def test_adverb_after_comma_ends_the_addressee():
    from vanban.extract.items import _intro_subject, directive_subject
    assert directive_subject("Chi cục Kiểm lâm các huyện có rừng bị cháy, kịp thời báo cáo "
                             "Ủy ban nhân dân tỉnh.", False) == ["Chi cục Kiểm lâm các huyện có rừng bị cháy"]
    assert _intro_subject("Ủy ban nhân dân tỉnh yêu cầu Giám đốc các sở, ngành có liên quan, khẩn trương "
                          "thực hiện các nội dung sau:") == ["Giám đốc các sở, ngành có liên quan"]
    # an enumeration goes on after the comma with a name, not an adverb
    assert directive_subject("Sở Y tế, Sở Tài chính khẩn trương rà soát.", False) == ["Sở Y tế", "Sở Tài chính"]


def test_name_ending_in_a_verb_is_kept_whole():
    from vanban.extract.items import directive_subject
    assert directive_subject("Cục Quản lý hoạt động xây dựng tham mưu việc hướng dẫn các địa phương.",
                             False) == ["Cục Quản lý hoạt động xây dựng"]
    # the same verb opening the predicate still ends the subject
    assert directive_subject("Sở Tài chính xây dựng kế hoạch vốn.", False) == ["Sở Tài chính"]
    assert directive_subject("Sở Tài chính xây dựng, ban hành quy chế.", False) == ["Sở Tài chính"]


# ------------------- class 3: sibling items naming who does a section's work and when
def test_role_and_time_items_fold_into_the_content_item():
    head = _HEAD.replace("I. MỤC ĐÍCH, YÊU CẦU\n", "A. MỤC ĐÍCH, YÊU CẦU\n")
    text = head + (
        "B. NỘI DUNG, NHIỆM VỤ, GIẢI PHÁP\n"
        "I. TUẦN TRA, CANH GÁC RỪNG\n"
        "1. Nội dung, biện pháp\n"
        "a) Bố trí chốt canh gác tại các khu rừng trọng điểm;\n"
        "b) Tuần tra trong các tháng cao điểm mùa khô.\n"
        "2. Cơ quan chủ trì, phối hợp\n"
        "a) Cơ quan chủ trì\n- Chi cục Kiểm lâm tỉnh.\n- Ủy ban nhân dân các huyện; Ban Quản lý rừng phòng hộ.\n"
        "b) Cơ quan phối hợp\n- Công an tỉnh; Bộ Chỉ huy Quân sự tỉnh.\n"
        "3. Thời gian thực hiện: Từ tháng 1 đến tháng 5 hằng năm.\n"
        "II. KIỂM TRA, XỬ LÝ VI PHẠM\n"
        "1. Nội dung, biện pháp\na) Kiểm tra việc đốt nương rẫy trong mùa khô.\n"
        "2. Chủ trì thực hiện\n- Sở Tài chính.\n"
        "3. Thời gian thực hiện: Hằng năm.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n")
    tasks = {t.path: t for t in valid_record(text).tasks}
    assert sorted(tasks) == ["I.1", "II.1"]  # the role items are no tasks of their own
    assert tasks["I.1"].lead == ["Chi cục Kiểm lâm tỉnh", "Ủy ban nhân dân các huyện",
                                 "Ban Quản lý rừng phòng hộ"]
    assert tasks["I.1"].partners == ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"]
    assert tasks["I.1"].timeframe == "Từ tháng 1 đến tháng 5 hằng năm"
    assert tasks["II.1"].lead == ["Sở Tài chính"]
    assert tasks["II.1"].timeframe == "Hằng năm"


# ------------------------- a topic heading's lettered parts numbered in full ("2.1.a.")
def test_fully_numbered_letter_parts_lead_their_heading():
    from vanban.extract.layout import parse_marker
    assert parse_marker("2.1.a. Sở Y tế bố trí lực lượng cấp cứu.")[1:3] == ("letter", "a")
    assert parse_marker("2.1. Yêu cầu về lực lượng:")[1] == "arabic2"
    tasks = _tasks(
        "II. NHIỆM VỤ, GIẢI PHÁP\n"
        "1. Yêu cầu về lực lượng:\n"
        "1.a. Chi cục Kiểm lâm tỉnh bố trí lực lượng thường trực tại các khu rừng trọng điểm.\n"
        "1.b. Huấn luyện lực lượng chữa cháy trước mùa khô.\n"
        "2. Yêu cầu về trang thiết bị:\n"
        "2.a. Các trạm kiểm lâm được trang bị máy thổi gió.\n")
    assert tasks["II.1"].lead == ["Chi cục Kiểm lâm tỉnh"]


# ------------------------------------------------- review of round 7 (made-up plans)
NAME_FINAL_VERB_PLAN = _plan(
    "II. NHIỆM VỤ\n"
    "1. Sở Kế hoạch và Đầu tư xây dựng báo cáo đánh giá tình hình thực hiện.\n"
    "2. Sở Y tế xây dựng hướng dẫn phòng, chống dịch bệnh.\n")

TASK_CASES["name_final_verb_before_a_noun_is_the_predicate"] = (NAME_FINAL_VERB_PLAN, {
    "II.1": {"lead": ["Sở Kế hoạch và Đầu tư"]},
    "II.2": {"lead": lacks("Sở Y tế xây dựng")},
})


def test_name_final_verb_before_a_noun_is_the_predicate_as_written():
    assert_tasks(valid_record(NAME_FINAL_VERB_PLAN).tasks, {"II.2": {"lead": ["Sở Y tế"]}})


TASK_CASES["role_items_go_to_the_content_item_right_before_them"] = (_plan(
    "II. NHIỆM VỤ VÀ GIẢI PHÁP\n"
    "1. Tăng cường giám sát dịch bệnh\nGiám sát chặt chẽ các ổ dịch cũ.\n"
    "2. Phối hợp: Sở Tài chính, Sở Nông nghiệp và Môi trường.\n"
    "3. Truyền thông nguy cơ\nCung cấp thông tin kịp thời cho người dân.\n"
    "4. Thời gian thực hiện: Quý II năm 2025.\n"
    "5. Kiểm tra, giám sát\nĐoàn kiểm tra liên ngành kiểm tra các cơ sở.\n"
    "6. Chủ trì: Sở Y tế.\n"
    "III. TỔ CHỨC THỰC HIỆN\n1. Sở Tài chính: Bố trí kinh phí.\n"), {
    "II.1": {"partners": ["Sở Tài chính", "Sở Nông nghiệp và Môi trường"], "lead": other_than(["Sở Y tế"]),
             "timeframe": None},
    "II.3": {"timeframe": "Quý II năm 2025"},
    "II.5": {"lead": ["Sở Y tế"]},
    "II.2": None,
    "II.6": None,
})


ROLE_LABEL_PLAN = _plan(
    "II. NHIỆM VỤ\n"
    "1. Kiểm tra an toàn thực phẩm\nSở Y tế chủ trì kiểm tra các cơ sở sản xuất.\n"
    "2. Thực hiện: Thường xuyên, hằng năm.\n"
    "3. Truyền thông\nSở Văn hóa chủ trì tuyên truyền.\n"
    "4. Phối hợp thực hiện: Kiểm tra liên ngành về an toàn thực phẩm dịp Tết.\n"
    "5. Xử lý vi phạm\nCông an tỉnh chủ trì xử lý vi phạm.\n"
    "6. Thực hiện: Theo Kế hoạch số 12/KH-UBND ngày 5/1/2025.\n")

TASK_CASES["role_label_over_no_agency_is_a_task"] = (ROLE_LABEL_PLAN, {
    "II.2": {}, "II.4": {}, "II.6": {},
    "II.5": {"lead": ["Công an tỉnh"]},
})


@pytest.mark.parametrize("flatten", [False, True])
def test_role_label_naming_a_document_leads_no_task_with_it(flatten):
    tasks = valid_record(ROLE_LABEL_PLAN, flatten).tasks
    assert all("Kế hoạch" not in a for t in tasks for a in t.lead)


TASK_CASES["opening_subject_is_a_complete_name_before_a_directive_verb"] = (_plan(
    "II. NỘI DUNG\n"
    "1. Nội dung hội nghị\nQuán triệt Nghị quyết. Chủ tịch UBND tỉnh phát biểu chỉ đạo.\n"
    "2. Kiểm tra, giám sát\nĐoàn kiểm tra liên ngành kiểm tra các cơ sở.\n"
    "3. Rà soát hiện trạng\nRà soát các điểm cháy. Ban Chỉ đạo xã tổ chức kiểm tra hiện trạng.\n"
    "III. TỔ CHỨC THỰC HIỆN\n1. Sở Tài chính: Bố trí kinh phí.\n"), {
    "II.1": {"lead": []},
    "II.2": {"lead": []},
    "II.3": {"lead": ["Ban Chỉ đạo xã"]},
})


# the content's prose read "phối hợp với Sở Y tế …"; the role item makes Sở Y tế the lead
TASK_CASES["a_role_item_naming_the_lead_takes_it_out_of_the_partners"] = (_plan(
    "II. NỘI DUNG\n"
    "1. Nội dung\na) Tuần tra rừng, phối hợp với Sở Y tế và Công an tỉnh.\n"
    "2. Cơ quan chủ trì: Sở Y tế.\n"
    "3. Thời gian thực hiện: Quý II năm 2025.\n"), {
    "II.1": {"lead": ["Sở Y tế"], "partners": ["Công an tỉnh"]},
})


TASK_CASES["a_background_sentence_or_a_remark_names_no_lead"] = (_plan(
    "II. NỘI DUNG\n"
    "1. Bước 1: Phổ biến văn bản\nTổ chức phổ biến văn bản mới. Thủ tướng Chính phủ ban hành "
    "Quyết định số 10/2025/QĐ-TTg về phòng cháy.\n"
    "2. Bước 2: Kiểm tra hiện trạng\nBan Chỉ đạo xã tổ chức kiểm tra. Sở Tài chính cần lưu ý "
    "kinh phí.\n"), {
    "II.1": {"lead": []},
    "II.2": {"lead": lacks("Sở Tài chính")},
})


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("text, expected", list(TASK_CASES.values()), ids=list(TASK_CASES))
def test_made_up_text_gives_its_tasks(text, expected, flatten):
    assert_tasks(valid_record(text, flatten).tasks, expected)
