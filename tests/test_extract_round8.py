"""extract, issue 13 round 8: general plan shapes left after round 7, each shown on a small
made-up plan of the same shape (not the evaluation texts), as written and folded to one line."""

from __future__ import annotations

import pytest

from tests.support.expected_tasks import Matches, assert_tasks
from tests.support.records import assert_fields, valid_record

_HEAD = (
    "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 81/KH-UBND\nAn Bình, ngày 3 tháng 5 năm 2025\n"
    "KẾ HOẠCH\nPhát triển du lịch cộng đồng năm 2025\n"
)
_END = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"


def _record(body: str, flatten: bool = False):
    return valid_record(_HEAD + body + _END, flatten)


#: The purposes section every made-up plan of the task tables opens with.
_PURPOSE = "I. MỤC ĐÍCH, YÊU CẦU\n1. Phát huy tiềm năng du lịch của các bản làng.\n"


def _plan(body: str) -> str:
    """A made-up plan: the header, its purposes section, then ``body`` (the sections after it)."""
    return _HEAD + _PURPOSE + body + _END


#: Each made-up text below whose test is only about its tasks, under its test's name: the text
#: and the tasks it must give (see tests.support.expected_tasks), checked as written and
#: flattened by test_made_up_text_gives_its_tasks at the end of this file.
TASK_CASES: dict[str, tuple[str, dict]] = {}
#: Likewise each made-up text whose test is only about its document's identity: the text and the
#: document fields it must give, checked by test_made_up_text_gives_its_document.
DOCUMENT_CASES: dict[str, tuple[str, dict]] = {}
#: And each made-up text whose test is only about fields of the record (its sections, its legal
#: bases): the text and the record fields it must give, checked by test_made_up_text_gives_its_record.
RECORD_CASES: dict[str, tuple[str, dict]] = {}


# ------------------------- lettered parts above the roman sections ("A." ... "D.")
RECORD_CASES["lettered_parts_above_roman_sections"] = (
    _HEAD +
    "A. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nPhát huy tiềm năng du lịch của các bản làng.\n"
    "2. Yêu cầu\nBảo đảm sự phối hợp chặt chẽ giữa các cơ quan.\n"
    "B. NHIỆM VỤ, GIẢI PHÁP\n"
    "I. QUẢNG BÁ DU LỊCH\n1. Xây dựng bộ ấn phẩm giới thiệu điểm đến.\n"
    "2. Tổ chức hội chợ du lịch cộng đồng.\n"
    "II. ĐÀO TẠO NHÂN LỰC\n1. Mở lớp bồi dưỡng kỹ năng cho hộ làm du lịch.\n"
    "C. TỔ CHỨC THỰC HIỆN\n1. Sở Văn hóa, Thể thao và Du lịch\n"
    "Chủ trì theo dõi, đôn đốc việc thực hiện Kế hoạch.\n"
    "2. Sở Tài chính\nBố trí kinh phí thực hiện.\n" + _END, {
        "purposes": ["Phát huy tiềm năng du lịch của các bản làng."],
        "requirements": ["Bảo đảm sự phối hợp chặt chẽ giữa các cơ quan."],
        "tasks": Matches(lambda got: [t.path for t in got] == ["I.1", "I.2", "II.1"], "tasks at I.1, I.2, II.1"),
        "implementation": Matches(lambda got: len(got) == 2, "two implementation items"),
    })


def test_capital_initial_in_a_sentence_is_no_part_marker():
    from vanban.extract.segment import segment
    lines = segment("Căn cứ ý kiến của ông Nguyễn Văn A. Trần Thị B. CÔNG TÁC PHỐI HỢP được giao. "
                    "Hai bên thống nhất.")
    assert not any(ln.startswith(("A.", "B.")) for ln in lines)


# ------------------------------------- a period in parentheses at a roadmap item's end
TASK_CASES["period_phrase_in_closing_parentheses"] = (_plan(
    "II. NHIỆM VỤ TRỌNG TÂM\n"
    "1. Hoàn thiện quy hoạch các điểm du lịch cộng đồng (Quý III/2025, Quý I/2026 và thường xuyên).\n"
    "2. Thành lập tổ hỗ trợ du khách tại các bản (năm 2025 và kiện toàn hằng năm).\n"
    "3. Tập huấn cho hộ làm du lịch theo Quyết định của tỉnh (Quyết định số 12/2025/QĐ-UBND).\n"
    "4. Mở rộng liên kết với các tỉnh lân cận (Lào Cai, Yên Bái).\n"), {
    "II.1": {"timeframe": "Quý III/2025, Quý I/2026 và thường xuyên"},
    "II.2": {"timeframe": "năm 2025 và kiện toàn hằng năm"},
    "II.3": {"timeframe": None},  # a document's number, no period
    "II.4": {"timeframe": None},
})


# ----------------------------------------- "Thời gian hoàn tất:" labels a step's deadline
TASK_CASES["time_label_hoan_tat"] = (_plan(
    "II. NỘI DUNG THỰC HIỆN\n"
    "1. Bước 1: Rà soát các hộ có nhu cầu làm du lịch.\n"
    "Ủy ban nhân dân các xã tổ chức rà soát, lập danh sách.\n"
    "Thời gian hoàn tất: trước ngày 30 tháng 6 năm 2025.\n"
    "2. Bước 2: Thẩm định danh sách.\n"
    "Sở Văn hóa, Thể thao và Du lịch thẩm định danh sách các hộ.\n"
    "Thời hạn hoàn tất: trước ngày 31 tháng 7 năm 2025.\n"),
    {"II.1": {"timeframe": "trước ngày 30 tháng 6 năm 2025"}, "II.2": {"timeframe": "trước ngày 31 tháng 7 năm 2025"}})


# ------------------------ a long list of addressees opening a plan item, then "tập trung"
TASK_CASES["long_opening_subject_with_tap_trung"] = (_plan(
    "II. NHIỆM VỤ TRỌNG TÂM\n"
    "1. Các sở, ban, ngành chức năng, các cơ quan báo chí của tỉnh, Ủy ban Mặt trận Tổ quốc Việt Nam "
    "tỉnh, Hội Nông dân các cấp, Tỉnh đoàn và các tổ chức chính trị - xã hội tập trung tuyên truyền "
    "sâu rộng về du lịch cộng đồng.\n"
    "2. Sở Tài chính tập trung bố trí kinh phí.\n"), {
    "II.1": {"lead": ["Các sở, ban, ngành chức năng", "các cơ quan báo chí của tỉnh",
                      "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Hội Nông dân các cấp", "Tỉnh đoàn",
                      "các tổ chức chính trị - xã hội"]},
    "II.2": {"lead": ["Sở Tài chính"]},
})


def test_recipients_without_signer_end_a_folded_text():
    from vanban.extract.segment import segment
    lines = segment("II. NHIỆM VỤ 1. Sở Y tế tập trung kiểm tra. Nơi nhận: - Như trên; - Lưu: VT.")
    assert lines[-2:] == ["1. Sở Y tế tập trung kiểm tra.", "Nơi nhận: - Như trên; - Lưu: VT."]


# ------------- partners named by a role item join those the measures name ("phối hợp với …")
TASK_CASES["role_item_partners_join_the_measures_partners"] = (_plan(
    "II. NHIỆM VỤ, GIẢI PHÁP\n"
    "1. Nội dung, biện pháp\n"
    "a) Phối hợp với Ban Công tác đặc biệt tỉnh Hủa Phăn xây dựng tour liên tuyến;\n"
    "b) Tổ chức hội chợ du lịch cộng đồng.\n"
    "2. Cơ quan chủ trì, phối hợp\n"
    "a) Cơ quan chủ trì: Sở Văn hóa, Thể thao và Du lịch.\n"
    "b) Cơ quan phối hợp: Sở Công Thương; Hội Nông dân tỉnh.\n"
    "3. Thời gian thực hiện: Năm 2025.\n"), {
    "II.1": {"lead": ["Sở Văn hóa, Thể thao và Du lịch"],
             "partners": ["Sở Công Thương", "Hội Nông dân tỉnh", "Ban Công tác đặc biệt tỉnh Hủa Phăn"],
             "timeframe": "Năm 2025"},
})


# ------------------------------- role lines: later parts of a list line, repeated plurals
TASK_CASES["role_lines_keep_lower_case_parts_and_split_repeated_plurals"] = (_plan(
    "II. NHIỆM VỤ, GIẢI PHÁP\n"
    "1. Nội dung, biện pháp\n"
    "a) Khảo sát các tuyến du lịch mới;\n"
    "b) Tổ chức hội chợ du lịch cộng đồng.\n"
    "2. Cơ quan chủ trì, phối hợp\n"
    "a) Cơ quan chủ trì\n- Sở Văn hóa, Thể thao và Du lịch.\n- Các huyện; các thị xã.\n"
    "b) Cơ quan phối hợp\n- Các bản, các hợp tác xã du lịch.\n- Sở Công Thương.\n"), {
    "II.1": {"lead": ["Sở Văn hóa, Thể thao và Du lịch", "Các huyện", "các thị xã"],
             "partners": ["Các bản", "các hợp tác xã du lịch", "Sở Công Thương"]},
})


def test_shared_head_list_is_not_split_at_a_repeated_plural():
    from vanban.extract.agencies import split_agencies
    assert split_agencies("các sở, ban, ngành, các huyện") == ["các sở, ban, ngành, các huyện"]


# ------------------ "Trên cơ sở đề nghị của X, Y chủ trì": the body after the lead-in leads
TASK_CASES["chu_tri_after_a_lead_in_clause"] = (_plan(
    "II. NỘI DUNG THỰC HIỆN\n"
    "1. Lập danh mục điểm du lịch cộng đồng.\n"
    "Trên cơ sở đề nghị của Ủy ban nhân dân các huyện, thị xã, Sở Văn hóa, Thể thao và Du lịch chủ "
    "trì, phối hợp với Sở Tài chính lập danh mục trình Ủy ban nhân dân tỉnh.\n"
    "2. Thẩm định danh mục.\n"
    "Sở Tài chính chủ trì thẩm định danh mục.\n"), {
    "II.1": {"lead": ["Sở Văn hóa, Thể thao và Du lịch"], "partners": ["Sở Tài chính"]},
    "II.2": {"lead": ["Sở Tài chính"]},
})


# ---------- a person's second office after a dash; an intro opening with its addressee
_LETTER = (
    "BỘ CÔNG THƯƠNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 512/BCT-TTTN\nHà Nội, ngày 4 tháng 6 năm 2025\n"
    "V/v tăng cường quản lý thị trường dịp cuối năm\n"
    "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.\n"
)


#: The close of the ministry's letter: recipients, then the signature block.
_LETTER_END = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Văn Bình\n"
_OFFICE = "Giám đốc Sở Công Thương - Phó Trưởng ban Thường trực Ban Chỉ đạo quốc gia về thị trường"

TASK_CASES["intro_with_second_office_leads_its_items"] = (
    _LETTER +
    "1. Các lực lượng chức năng tăng cường kiểm tra hàng hóa lưu thông.\n"
    "2. Giám đốc Sở Công Thương - Phó Trưởng ban Thường trực Ban Chỉ đạo quốc gia về thị trường "
    "tập trung chỉ đạo các đơn vị thực hiện một số nhiệm vụ sau:\n"
    "2.1. Xây dựng kế hoạch kiểm tra thị trường cuối năm.\n"
    "2.2. Tổng hợp kết quả, báo cáo Bộ Công Thương trước ngày 15 tháng 12 năm 2025.\n"
    + _LETTER_END, {
        "2.1": {"lead": [_OFFICE]},
        "2.2": {"lead": [_OFFICE], "timeframe": "trước ngày 15 tháng 12 năm 2025"},
    })


def test_dash_before_a_role_after_a_body_is_no_person_office():
    from vanban.extract.segment import segment
    lines = segment("II. NHIỆM VỤ 1. Sở Y tế - Chủ trì kiểm tra an toàn thực phẩm. "
                    "2. Sở Tài chính - Trưởng ban Thường trực tổ công tác bố trí kinh phí.")
    assert "1. Sở Y tế" in lines
    assert "2. Sở Tài chính" in lines  # no person's title before the dash: a bullet


# ------------- partners: a plural before a head, manner words between "phối hợp" and "với"
TASK_CASES["partners_plural_groups_and_manner_words"] = (_plan(
    "II. NHIỆM VỤ, GIẢI PHÁP\n"
    "1. Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với các phòng, ban có liên quan khảo sát tuyến mới.\n"
    "2. Sở Y tế chủ trì, phối hợp với các bệnh viện kiểm tra an toàn thực phẩm tại điểm du lịch.\n"
    "3. Xây dựng kế hoạch phối hợp cụ thể với các Bộ, ngành trung ương để quảng bá điểm đến.\n"
    "4. Sở Công Thương chủ trì, phối hợp thường xuyên, chặt chẽ với Sở Tài chính tổ chức hội chợ.\n"), {
    "II.1": {"partners": ["các phòng, ban có liên quan"]},
    "II.2": {"partners": ["các bệnh viện"]},
    "II.3": {"partners": ["các Bộ, ngành trung ương"]},
    "II.4": {"partners": ["Sở Tài chính"]},
})


# ------------- a plural group opening a clause after ";" with its verb, in a plan item's prose
TASK_CASES["group_after_semicolon_leads"] = (_plan(
    "II. NHIỆM VỤ VÀ GIẢI PHÁP\n"
    "1. Nhiệm vụ\nTăng cường quảng bá điểm đến trên các phương tiện thông tin đại chúng.\n"
    "2. Giải pháp\nVận động nhân dân giữ gìn cảnh quan bản làng; các hội, đoàn thể cấp tỉnh tăng cường "
    "các hoạt động hỗ trợ hộ làm du lịch; nâng cao chất lượng dịch vụ.\n"),
    {"II.2": {"lead": ["các hội, đoàn thể cấp tỉnh"]}, "II.1": {"lead": []}})


# ------------- "xây dựng" ending a name before a verb that is never its object
TASK_CASES["name_final_xay_dung_before_other_directive_verbs"] = (
    _LETTER +
    "1. Cục Quản lý hoạt động xây dựng tổ chức kiểm tra an toàn các công trình đang thi công.\n"
    "2. Cục Kinh tế xây dựng khẩn trương hướng dẫn các địa phương điều chỉnh giá.\n"
    "3. Sở Y tế xây dựng tổ chức bộ máy phù hợp với nhiệm vụ mới.\n"
    "4. Sở Công Thương xây dựng hướng dẫn thực hiện chương trình bình ổn giá.\n"
    + _LETTER_END, {
        "1": {"lead": ["Cục Quản lý hoạt động xây dựng"]},
        "2": {"lead": ["Cục Kinh tế xây dựng"]},
        "3": {"lead": ["Sở Y tế"]},  # "tổ chức bộ máy": the object of "xây dựng"
        "4": {"lead": ["Sở Công Thương"]},
    })


TASK_CASES["name_final_xay_dung_in_a_plan_item"] = (_plan(
    "II. NHIỆM VỤ, GIẢI PHÁP\n"
    "1. Phòng Quản lý hoạt động xây dựng tiếp tục rà soát các công trình du lịch.\n"
    "2. Sở Y tế xây dựng tổ chức mạng lưới sơ cứu tại các điểm du lịch.\n"),
    {"II.1": {"lead": ["Phòng Quản lý hoạt động xây dựng"]}, "II.2": {"lead": ["Sở Y tế"]}})


# ----------------------- a closing "Thời gian thực hiện:" item of a section of several items
TASK_CASES["closing_time_item_gives_each_content_item_its_time"] = (_plan(
    "II. NHIỆM VỤ, GIẢI PHÁP\n"
    "1. Tổ chức hội chợ du lịch cộng đồng.\n"
    "2. Mở lớp bồi dưỡng kỹ năng cho hộ làm du lịch.\n"
    "3. Xây dựng bộ ấn phẩm giới thiệu điểm đến.\n"
    "4. Thời gian thực hiện: Năm 2025.\n"
    "III. TỔ CHỨC THỰC HIỆN\n1. Sở Tài chính bố trí kinh phí.\n"), {
    "II.1": {"timeframe": "Năm 2025"},
    "II.2": {"timeframe": "Năm 2025"},
    "II.3": {"timeframe": "Năm 2025"},
    "II.4": None,
})


TASK_CASES["closing_time_item_keeps_items_with_their_own_times"] = (_plan(
    "II. NHIỆM VỤ, GIẢI PHÁP\n"
    "1. Tổ chức hội chợ du lịch cộng đồng (Quý III/2025).\n"
    "2. Mở lớp bồi dưỡng kỹ năng cho hộ làm du lịch.\n"
    "3. Thời gian thực hiện: Từ năm 2025 đến năm 2030.\n"), {
    # the items state a time of their own: the closing one is the plan's period, given (as
    # before) only to the item right before it
    "II.1": {"timeframe": "Quý III/2025"},
    "II.2": {"timeframe": "Từ năm 2025 đến năm 2030"},
})


TASK_CASES["time_item_after_role_items_stays_with_its_content_item"] = (_plan(
    "II. NHIỆM VỤ, GIẢI PHÁP\n"
    "1. Tổ chức hội chợ du lịch cộng đồng.\n"
    "2. Nội dung, biện pháp\na) Khảo sát các tuyến du lịch mới;\nb) Mở lớp bồi dưỡng kỹ năng.\n"
    "3. Cơ quan chủ trì: Sở Văn hóa, Thể thao và Du lịch.\n"
    "4. Thời gian thực hiện: Năm 2025.\n"),
    {"II.1": {"timeframe": None}, "II.2": {"timeframe": "Năm 2025", "lead": ["Sở Văn hóa, Thể thao và Du lịch"]}})


# ------------------------------ a short name defined by the document, in its caps title
def _titled(title_caps: str, body: str) -> str:
    text = ("ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 90/KH-UBND\nAn Bình, ngày 3 tháng 5 năm 2025\nKẾ HOẠCH\n" + title_caps + "\n" + body + _END)
    return valid_record(text).document["title"]


def test_defined_short_name_is_a_common_noun_in_the_title():
    title = _titled(
        "PHÁT ĐỘNG ĐỢT THI ĐUA CHÀO MỪNG ĐẠI HỘI ĐẢNG BỘ TỈNH",
        "UBND tỉnh phát động Đợt thi đua chào mừng Đại hội Đảng bộ tỉnh (sau đây gọi tắt là Đợt thi đua).\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Tổ chức Đợt thi đua sâu rộng; tham gia Đợt thi đua tích cực.\n"
        "2. Khen thưởng kịp thời trong Đợt thi đua.\n")
    assert title == "Phát động đợt thi đua chào mừng Đại hội Đảng bộ tỉnh"


def test_defined_document_name_keeps_its_capital_in_the_title():
    title = _titled(
        "TRIỂN KHAI CHƯƠNG TRÌNH MỤC TIÊU PHÁT TRIỂN DU LỊCH NĂM 2025",
        "Thực hiện Chương trình mục tiêu phát triển du lịch (sau đây gọi tắt là Chương trình).\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Triển khai Chương trình mục tiêu phát triển du lịch hiệu quả.\n"
        "2. Đánh giá kết quả thực hiện Chương trình hằng năm.\n")
    assert title == "Triển khai Chương trình mục tiêu phát triển du lịch năm 2025"


# ------------------------------------------- a list of conditions is no list of tasks
TASK_CASES["items_stating_conditions_are_no_tasks"] = (_plan(
    "II. NỘI DUNG THỰC HIỆN\n"
    "1. Xác định hộ được hỗ trợ làm du lịch\n"
    "1.1. Là hộ có tên trong danh sách hộ nghèo do xã quản lý.\n"
    "1.2. Đang sinh sống tại bản có điểm du lịch được công nhận.\n"
    "2. Hỗ trợ hộ làm du lịch\n"
    "2.1. Đăng ký danh sách hộ tham gia với Ủy ban nhân dân xã.\n"
    "2.2. Là đầu mối, Sở Văn hóa, Thể thao và Du lịch hướng dẫn các hộ.\n"), {
    "II.1.1": None,
    "II.1.2": None,
    # one item of the list is work: all are tasks
    "II.2.1": {},
    "II.2.2": {},
})


# ------------------- lettered parts numbered in full ("2.1.a."), folded onto one line
TASK_CASES["numbered_letter_parts_in_a_step"] = (_plan(
    "II. NỘI DUNG THỰC HIỆN\n"
    "1. Các bước thực hiện\n"
    "1.1. Bước 1:\n"
    "1.1.a. Thành lập tổ hỗ trợ du lịch cộng đồng:\n"
    "Ủy ban nhân dân các xã thành lập tổ hỗ trợ gồm đại diện các bản.\n"
    "1.1.b. Tiếp nhận đăng ký của các hộ.\n"
    "Thời gian hoàn tất: trước ngày 30 tháng 6 năm 2025.\n"
    "1.2. Bước 2: Thẩm định danh sách.\n"
    "Sở Tài chính thẩm định danh sách các hộ.\n"), {
    "II.1.1": {"title": "Bước 1:", "lead": ["Ủy ban nhân dân các xã"],
               "timeframe": "trước ngày 30 tháng 6 năm 2025"},
    "II.1.2": {"lead": ["Sở Tài chính"]},
})


# ------------ "1. Nhiệm vụ" / "2. Giải pháp" under "II. NHIỆM VỤ VÀ GIẢI PHÁP", folded
def test_section_named_labels_end_before_their_text_when_folded():
    from vanban.extract.segment import segment
    lines = segment("II. NHIỆM VỤ VÀ GIẢI PHÁP 1. Nhiệm vụ Nhà nước giữ vai trò chủ đạo trong phát triển du lịch. "
                    "a) Rà soát chính sách. 2. Giải pháp Các sở, ngành tăng cường phối hợp. "
                    "III. TỔ CHỨC THỰC HIỆN 1. Nhiệm vụ Nhà nước giao được các sở triển khai đồng bộ.")
    assert "1. Nhiệm vụ" in lines and "2. Giải pháp" in lines
    # a section that names no such label: the words go on as one heading
    assert "1. Nhiệm vụ Nhà nước giao được các sở triển khai đồng bộ." in lines


# ------------- implementation items: the document's own heading style decides, folded
RECORD_CASES["agency_headings_with_colon_in_an_implementation_section"] = (_plan(
    "II. NHIỆM VỤ\n1. Tổ chức hội chợ du lịch cộng đồng.\n"
    "III. TỔ CHỨC THỰC HIỆN\n"
    "1. Sở Văn hóa, Thể thao và Du lịch:\n- Chủ trì triển khai kế hoạch.\n- Tổng hợp báo cáo.\n"
    "2. Sở Tài chính:\nBố trí kinh phí thực hiện kế hoạch.\n"
    "3. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức thành viên của Mặt trận\n"
    "- Trong phạm vi chức năng, nhiệm vụ, tham gia tuyên truyền.\n"),
    {"implementation": Matches(
        lambda got: got[:2] == ["Sở Văn hóa, Thể thao và Du lịch:", "Sở Tài chính:"]
        and got[2] == "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức thành viên của Mặt trận",
        "the two agency headings with their colons, then the front's heading")})


RECORD_CASES["agency_items_inline_where_headings_have_no_colon"] = (_plan(
    "II. NHIỆM VỤ\n1. Tổ chức hội chợ du lịch cộng đồng.\n"
    "III. TỔ CHỨC THỰC HIỆN\n"
    "1. Sở Văn hóa, Thể thao và Du lịch\n- Chủ trì triển khai kế hoạch.\n"
    "2. Sở Tài chính: Bố trí kinh phí thực hiện kế hoạch.\n"),
    {"implementation": ["Sở Văn hóa, Thể thao và Du lịch", "Sở Tài chính: Bố trí kinh phí thực hiện kế hoạch."]})


# --------------------------- a Công điện's sender (a ministry) between its title and "điện:"
DOCUMENT_CASES["cong_dien_sender_line_is_no_part_of_the_title"] = (
    "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 12/CĐ-BNNMT\nHà Nội, ngày 5 tháng 10 năm 2025\nCÔNG ĐIỆN\n"
    "VỀ VIỆC CHỦ ĐỘNG ỨNG PHÓ VỚI LŨ LỚN TẠI KHU VỰC BẮC BỘ\nBỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\nđiện:\n"
    "- Các Cục: Thủy lợi, Quản lý đê điều;\n- Sở Nông nghiệp và Môi trường các tỉnh.\n"
    "1. Các Cục theo dõi chặt chẽ diễn biến lũ.\n2. Các Sở chủ động vận hành hồ chứa.\n"
    "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Văn Bình\n",
    {"title": "Về việc chủ động ứng phó với lũ lớn tại khu vực Bắc Bộ", "issuer": "Bộ Nông nghiệp và Môi trường"})


# ---------- an attached plan's caps title with its "(Ban hành kèm theo …)" note lends no casing
DOCUMENT_CASES["attached_caps_title_with_note_lends_no_casing"] = (
    "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 15/QĐ-UBND\nAn Bình, ngày 3 tháng 5 năm 2025\nQUYẾT ĐỊNH\n"
    "BAN HÀNH KẾ HOẠCH THỰC HIỆN CHỈ THỊ SỐ 05-CT/TU CỦA BAN THƯỜNG VỤ TỈNH ỦY VỀ PHÁT TRIỂN DU LỊCH\n"
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n"
    "Căn cứ Chỉ thị số 05-CT/TU ngày 2 tháng 3 năm 2025 của Ban Thường vụ Tỉnh ủy về phát triển du lịch;\n"
    "QUYẾT ĐỊNH:\nĐiều 1. Ban hành kèm theo Quyết định này Kế hoạch thực hiện Chỉ thị số 05-CT/TU.\n"
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
    "KẾ HOẠCH\nTHỰC HIỆN CHỈ THỊ SỐ 05-CT/TU CỦA BAN THƯỜNG VỤ TỈNH ỦY VỀ PHÁT TRIỂN DU LỊCH "
    "(Ban hành kèm theo Quyết định số 15/QĐ-UBND ngày 3 tháng 5 năm 2025 của Chủ tịch UBND tỉnh)\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n1. Phát huy tiềm năng du lịch.\nII. NHIỆM VỤ\n1. Tổ chức hội chợ du lịch.\n"
    + _END,
    {"title": "Ban hành Kế hoạch thực hiện Chỉ thị số 05-CT/TU của Ban Thường vụ Tỉnh ủy về phát triển du lịch"})


# ------------------------------- a header and a signature copied with letters spaced out
def test_close_spaced_letters():
    from vanban.extract.text import close_spaced_letters as close
    assert close("ỦY B AN NHÂN D Â N T ỈNH AN B ÌNH") == "ỦY BAN NHÂN DÂN TỈNH AN BÌNH"
    assert close("T hành phố Hồ Chí M inh, ngày 3") == "Thành phố Hồ Chí Minh, ngày 3"
    assert close("HỒ C H Í M I NH") == "HỒ CHÍ MINH"
    assert close("ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK") == "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK"  # no join spells nothing
    assert close("Sở Y tế; Phòng A, Tổ B") == "Sở Y tế; Phòng A, Tổ B"


def test_spaced_out_header_and_signature():
    record = valid_record(
        "ỦY B AN NHÂN D Â N T ỈNH AN B ÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 81/KH-UBND\nAn B ình, ngày 3 tháng 0 5 năm 2025\n"
        "KẾ HOẠCH\nPhát triển du lịch cộng đồng năm 2025\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Phát huy tiềm năng du lịch của các bản làng.\n"
        "II. NHIỆM VỤ\n1. Ủy ban nhân dân tỉnh An Bình giao Sở Tài chính bố trí kinh phí.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊ CH\nP HÓ CHỦ T Ị CH\nTrần Văn Nam\n")
    assert record.document["issuer"] == "Ủy ban nhân dân tỉnh An Bình"
    assert record.document["place"] == "An Bình"
    assert record.document["date"] == "2025-05-03"
    assert record.signature["title"] == "PHÓ CHỦ TỊCH"


# ------------- "- Giao Trưởng X …": the head of a body named by its title "Trưởng" is an addressee
TASK_CASES["truong_title_names_an_addressee"] = (
        _LETTER.replace("Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.",
                        "Kính gửi: Trưởng Quản lý thị trường các tỉnh, thành phố.") +
        "Cục Quản lý thị trường yêu cầu Trưởng Quản lý thị trường các tỉnh, thành phố nơi có chợ đầu mối, "
        "khẩn trương triển khai các nội dung sau:\n"
        "1. Về kiểm tra hàng hóa: Kiểm tra nguồn gốc hàng hóa tại các chợ đầu mối.\n"
        "2. Về bảo đảm an ninh tại chợ\n- Giao Trưởng Công an xã phối hợp kiểm tra tại chợ.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG\nNguyễn Văn Bình\n",
        {"2": {"lead": ["Trưởng Công an xã"]}})


def test_collective_group_after_va_is_a_new_agency():
    from vanban.extract.agencies import split_agencies
    assert split_agencies("Đài Phát thanh và Truyền hình tỉnh, Báo An Bình và hệ thống các cơ quan báo chí") == [
        "Đài Phát thanh và Truyền hình tỉnh", "Báo An Bình", "hệ thống các cơ quan báo chí"]
    assert split_agencies("Sở Y tế và hệ thống các bệnh viện") == ["Sở Y tế", "hệ thống các bệnh viện"]


# ------------- folded role lists: a bullet after a full stop, a role label run on into names
TASK_CASES["folded_role_lists"] = (_plan(
    "II. NHIỆM VỤ, GIẢI PHÁP\n"
    "1. Nội dung, biện pháp\na) Khảo sát các tuyến du lịch mới;\nb) Tổ chức hội chợ du lịch.\n"
    "2. Cơ quan chủ trì, phối hợp\n"
    "a) Cơ quan chủ trì\n- Trung ương Hội Nông dân Việt Nam.\n- Ban Quản lý các khu du lịch; Sở Công Thương.\n"
    "b) Cơ quan phối hợp\nMặt trận Tổ quốc Việt Nam tỉnh và Hội Cựu chiến binh tỉnh; các tổ chức "
    "chính trị - xã hội.\n"), {
    "II.1": {"lead": ["Trung ương Hội Nông dân Việt Nam", "Ban Quản lý các khu du lịch", "Sở Công Thương"],
             "partners": ["Mặt trận Tổ quốc Việt Nam tỉnh", "Hội Cựu chiến binh tỉnh",
                          "các tổ chức chính trị - xã hội"]},
})


# ------------- a lettered part's later sentence opening with its body (folded or written)
TASK_CASES["lettered_part_later_sentence_names_the_lead"] = (_plan(
    "II. NHIỆM VỤ VÀ GIẢI PHÁP\n"
    "1. Giải pháp\n"
    "a) Phát huy vai trò của cộng đồng trong du lịch.\n"
    "b) Nâng cao chất lượng dịch vụ. Hiệp hội Du lịch tỉnh tăng cường tập huấn cho các hộ.\n"),
    {"II.1": {"lead": ["Hiệp hội Du lịch tỉnh"]}})


# ------------- folded targets: a paragraph may open with its figure ("100% …")
def test_folded_paragraph_opening_with_a_percentage():
    record = _record(
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Phát huy tiềm năng du lịch của các bản làng.\n"
        "II. MỤC TIÊU\n1. Mục tiêu cụ thể\n- Du lịch cộng đồng\n"
        "Phấn đấu trên 50% số bản có điểm du lịch được công nhận.\n"
        "100% hộ làm du lịch được tập huấn kỹ năng phục vụ khách.\n"
        "III. NHIỆM VỤ\n1. Tổ chức hội chợ du lịch cộng đồng.\n",
        flatten=True)
    texts = [o.text for o in record.objectives]
    assert "100% hộ làm du lịch được tập huấn kỹ năng phục vụ khách." in texts


def test_folded_heading_whose_name_opens_its_sentence_again():
    from vanban.extract.segment import segment
    lines = segment("III. TỔ CHỨC THỰC HIỆN 1. Trung tâm Dữ liệu Thành phố Trung tâm Dữ liệu Thành phố "
                    "chủ trì, phối hợp với Sở Tài chính triển khai. 2. Sở Tài chính bố trí kinh phí.")
    assert "1. Trung tâm Dữ liệu Thành phố" in lines


def test_folded_caps_heading_ending_in_a_label_word_before_item_one():
    from vanban.extract.segment import segment
    lines = segment("I. MỤC TIÊU 1. Mục tiêu chung Nâng cao nhận thức về du lịch. 2. Mục tiêu cụ thể "
                    "Phấn đấu có 20 bản du lịch. II. NHIỆM VỤ 1. Tổ chức hội chợ theo chỉ tiêu 1. Hằng năm.")
    assert "1. Mục tiêu chung" in lines  # "TIÊU 1.": the heading's last word, no "chỉ tiêu 1"
    assert not any(ln.startswith("1. Hằng năm") for ln in lines)  # "chỉ tiêu 1." inside a sentence


def test_deadline_part_of_a_month_after_a_completing_verb():
    from vanban.extract.items import deadline_of
    assert deadline_of("Tập trung tháo gỡ khó khăn, cơ bản xong cuối tháng 12 năm 2025.") == "cuối tháng 12 năm 2025"
    assert deadline_of("Hoàn thành vào đầu quý II năm 2026 việc sắp xếp.") == "vào đầu quý II năm 2026"
    assert deadline_of("Tổ chức hội nghị cuối năm 2025 để tổng kết.") is None  # no completing verb


# ------------- "Điều 2. Tổ chức thực hiện" of a decision that approves a plan's terms
RECORD_CASES["article_heading_an_implementation_section"] = (
    "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 20/QĐ-UBND\nAn Bình, ngày 3 tháng 5 năm 2025\nQUYẾT ĐỊNH\n"
    "PHÊ DUYỆT NHIỆM VỤ LẬP QUY HOẠCH KHU DU LỊCH HỒ XANH\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n"
    "Căn cứ Luật Quy hoạch ngày 24 tháng 11 năm 2017;\nQUYẾT ĐỊNH:\n"
    "Điều 1. Phê duyệt Nhiệm vụ lập quy hoạch Khu du lịch Hồ Xanh với những nội dung sau:\n"
    "1. Phạm vi lập quy hoạch\nToàn bộ khu vực hồ và các bản ven hồ.\n"
    "2. Thời gian lập quy hoạch: Không quá 12 tháng.\n"
    "Điều 2. Tổ chức thực hiện\n"
    "1. Sở Văn hóa, Thể thao và Du lịch có trách nhiệm:\n- Tổ chức lập quy hoạch.\n"
    "2. Sở Tài chính:\n- Bố trí kinh phí lập quy hoạch.\n"
    "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.\n" + _END,
    {"implementation": ["Sở Văn hóa, Thể thao và Du lịch có trách nhiệm:", "Sở Tài chính:"]})


def test_folded_document_code_cut_by_a_space_goes_on():
    from vanban.extract.segment import segment
    lines = segment("II. NHIỆM VỤ 3.1. Hoàn thiện kế hoạch. 3.2. Khẩn trương sơ kết việc thực hiện Chỉ thị số "
                    "13/CT- TTg ngày 17 tháng 5 năm 2025 của Thủ tướng Chính phủ; báo cáo trước ngày 30/11/2025.")
    assert lines[-1].startswith("3.2. Khẩn trương") and lines[-1].endswith("30/11/2025.")


TASK_CASES["note_after_the_end_mark_is_no_part_of_the_last_item"] = (
    _LETTER + "1. Các lực lượng chức năng tăng cường kiểm tra hàng hóa lưu thông.\n"
    "2. Các đơn vị trực ban và báo cáo về Văn phòng Bộ (qua email: vp@ab.gov.vn)./. "
    "(Công văn số 12/BCT-VP gửi kèm theo)\n" + _LETTER_END,
    {"2": {"title": "Các đơn vị trực ban và báo cáo về Văn phòng Bộ (qua email: vp@ab.gov.vn)."}})


# ------------- val6 classes: "(1)", "(2)" pieces of work under a directive item
_CONG_DIEN = (
    "THỦ TƯỚNG CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 300/CĐ-TTg\nHà Nội, ngày 2 tháng 12 năm 2025\nCÔNG ĐIỆN\nVề việc chủ động ứng phó với bão số 16\n"
    "THỦ TƯỚNG CHÍNH PHỦ điện:\n- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố ven biển;\n"
    "- Bộ trưởng các Bộ: Quốc phòng, Công an.\n"
)
_CD_END = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\nTrần Văn Hải\n"


TASK_CASES["paren_items_opening_with_directive_verbs_are_tasks"] = (
        _CONG_DIEN +
        "1. Chủ tịch Ủy ban nhân dân các tỉnh: An Bình, Hòa Sơn theo dõi sát tình hình, trong đó:\n"
        "(1) Tập trung kêu gọi tàu thuyền vào nơi tránh trú.\n(2) Chủ động sơ tán dân cư khỏi khu vực nguy hiểm.\n"
        "2. Bộ trưởng Bộ Tài chính báo cáo thiệt hại, gồm:\n(1) Số hộ dân có nhà bị sập.\n(2) Số hộ dân có nhà "
        "bị hư hỏng.\n"
        "3. Bộ trưởng các Bộ phối hợp:\n(1) Bộ Quốc phòng bố trí lực lượng.\n(2) Bộ Công an bảo đảm an ninh.\n"
        + _CD_END, {
            "1.1": {}, "1.2": {"lead": ["Chủ tịch Ủy ban nhân dân các tỉnh: An Bình, Hòa Sơn"]}, "2": {}, "3": {},
            "1": None, "2.1": None, "3.1": None,
        })


# ------------- val6 class 2: an article that assigns numbered duties to a body
@pytest.mark.parametrize("flatten", [False, True])
def test_article_assigning_numbered_duties(flatten):
    record = valid_record(
        "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 21/QĐ-UBND\nAn Bình, ngày 3 tháng 5 năm 2025\nQUYẾT ĐỊNH\n"
        "BAN HÀNH LỊCH MÙA DU LỊCH NĂM 2025\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n"
        "Căn cứ Luật Du lịch ngày 19 tháng 6 năm 2017;\nQUYẾT ĐỊNH:\n"
        "Điều 1. Ban hành lịch mùa du lịch năm 2025 như sau:\n"
        "1. Mùa cao điểm: Từ tháng 6 đến tháng 8.\n2. Mùa thấp điểm: Các tháng còn lại.\n"
        "Điều 2. Giao Giám đốc Sở Văn hóa, Thể thao và Du lịch\n"
        "1. Tổ chức thực hiện lịch mùa du lịch đúng quy định.\n"
        "2. Chủ trì, phối hợp với Sở Công Thương hướng dẫn các doanh nghiệp lữ hành.\n"
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.\n" + _END,
        flatten)
    tasks = {t.title: t for t in record.tasks}
    assert len(tasks) == 2
    for t in tasks.values():
        assert t.lead == ["Giám đốc Sở Văn hóa, Thể thao và Du lịch"]
    assert tasks["Chủ trì, phối hợp với Sở Công Thương hướng dẫn các doanh nghiệp lữ hành."].partners == ["Sở Công Thương"]


DOCUMENT_CASES["stray_line_above_the_header_is_no_part_of_the_issuer"] = (
    "Về việc công nhận điểm du lịch cộng đồng của Ủy ban nhân dân tỉnh Hòa Sơn\n"
    "ỦY BAN NHÂN DÂN TỈNH AN BÌNH ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh "
    "phúc --------------- Số: 81/KH-UBND | An Bình, ngày 3 tháng 5 năm 2025\n"
    "KẾ HOẠCH\nPhát triển du lịch cộng đồng năm 2025\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n1. Phát huy tiềm năng du lịch của các bản làng.\n" + _END,
    {"issuer": "Ủy ban nhân dân tỉnh An Bình", "number": "81/KH-UBND"})


DOCUMENT_CASES["kind_line_of_an_appendix_below_kinh_gui_is_not_the_letters"] = (
    "Kính gửi: Các cơ quan, tổ chức trong hệ thống chính trị\n"
    "Ngày 15/10/2025, Ban Chỉ đạo đã có văn bản số 07-TB/BCĐ thông báo kết luận của Hội nghị.\n"
    "Bộ Khoa học và Công nghệ dự thảo văn bản hướng dẫn tại Phụ lục kèm theo để các cơ quan áp dụng.\n"
    "Trân trọng./.\n"
    "PHỤ LỤC\nHƯỚNG DẪN VIỆC SỐ HOÁ HỒ SƠ, TÀI LIỆU\n1. Phạm vi áp dụng\nCác cơ quan trong hệ thống.\n",
    {"type": "Công văn", "number": None, "issuer": None, "title": None})


DOCUMENT_CASES["identity_from_an_appendix_note_of_any_kind"] = (
    "HƯỚNG DẪN\nXÂY DỰNG ĐỘI NGŨ HƯỚNG DẪN VIÊN DU LỊCH CỘNG ĐỒNG\n"
    "- Căn cứ Quyết định số 12-QĐ/TU, ngày 2/3/2025 của Ban Thường vụ Tỉnh ủy;\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n1. Nâng cao chất lượng đội ngũ hướng dẫn viên.\n"
    "K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\nNguyễn Văn An\n"
    "PHỤ LỤC\n(Kèm theo Hướng dẫn số 15-HD/BTGDVTU, ngày 20/11/2025 của Ban Tuyên giáo và Dân vận Tỉnh ủy)\n"
    "STT Tên xã Số hướng dẫn viên\n1 Xã An Phú 5\n",
    {"type": "Hướng dẫn", "number": "15-HD/BTGDVTU", "date": "2025-11-20",
     "issuer": "Ban Tuyên giáo và Dân vận Tỉnh ủy"})


DOCUMENT_CASES["news_lead_in_that_retells_the_body_before_the_header"] = (
    "Thông tin về mùa du lịch năm 2025 Ngày 21/11/2025, Sở Du lịch đã ban hành Công văn 109/SDL-QL về "
    "mùa du lịch. - Để triển khai thi hành Luật Du lịch, Sở đã hướng dẫn các doanh nghiệp lữ hành. "
    "- Các doanh nghiệp cần niêm yết giá công khai tại điểm bán. Xem chi tiết tại Công văn 109/SDL-QL. "
    "SỞ DU LỊCH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số:109/SDL-QL "
    "V/v mùa du lịch năm 2025. An Bình, ngày 21 tháng 11 năm 2025 Kính gửi: - Các doanh nghiệp lữ hành. "
    "Để triển khai thi hành Luật Du lịch, Sở Du lịch đề nghị các doanh nghiệp thực hiện như sau: "
    "1. Niêm yết giá công khai tại điểm bán. 2. Báo cáo số khách trước ngày 30/12/2025. "
    "Nơi nhận: - Như trên; - Lưu: VT. GIÁM ĐỐC Nguyễn Văn An",
    {"type": "Công văn", "number": "109/SDL-QL", "issuer": "Sở Du lịch", "date": "2025-11-21"})


def test_appendix_note_with_a_colon_after_so():
    record = valid_record(
        "Kính gửi: Ủy ban nhân dân các tỉnh.\nSở Du lịch trân trọng đề nghị các tỉnh cử cán bộ dự tập huấn.\n"
        "Trân trọng./.\nPHỤ LỤC\n(Kèm theo Công văn số: 110/SDL-QL ngày 22 tháng 11 năm 2025 của Sở Du lịch)\n"
        "STT Tỉnh Số người\n1 An Bình 5\n")
    doc = record.document
    assert (doc["type"], doc["number"], doc["date"], doc["issuer"]) == ("Công văn", "110/SDL-QL", "2025-11-22",
                                                                        "Sở Du lịch")


def test_numbers_in_a_table_run_on_as_text_are_no_bases():
    record = valid_record(
        "Nhiệm vụ giao Giám đốc Sở Du lịch chỉ đạo\n"
        "1 Hoàn thiện bộ tiêu chí điểm du lịch cộng đồng Sở Du lịch 31/10/2025 Đã ban hành Quyết định số "
        "12/QĐ-SDL. Đã hoàn thành\n"
        "2 Tổ chức hội chợ du lịch Sở Du lịch 30/11/2025 Thực hiện theo Kế hoạch số 45/KH-SDL. Đang thực hiện\n")
    assert record.legal_bases == []


# ------------- val6 class 6: a task table with no header row, its rows run on as text
_ROWS = (
    "Nhiệm vụ giao Giám đốc Sở Du lịch chỉ đạo\n"
    "1 Hoàn thiện bộ tiêu chí điểm du lịch cộng đồng, trình Ủy ban nhân dân tỉnh Sở Du lịch 31/10/2025 "
    "Đã trình. Đã hoàn thành 2 Phối hợp với Sở Công Thương tổ chức hội chợ du lịch Sở Du lịch 30/11/2025 "
    "Đang thực hiện\n"
    "Nhiệm vụ giao Giám đốc Sở Y tế chỉ đạo\n"
    "3 Bảo đảm an toàn thực phẩm tại các điểm du lịch Sở Y tế Nhiệm vụ thường xuyên Đang thực hiện\n"
    "4 Kiểm tra các cơ sở lưu trú trong ngành y tế Sở Y tế 15/12/2025 Chưa hoàn thành\n")


@pytest.mark.parametrize("flatten", [False, True])
def test_run_on_task_table_without_header_row(flatten):
    record = valid_record(_ROWS, flatten)
    tasks = {t.path: t for t in record.tasks}
    assert sorted(tasks) == ["PL.1", "PL.2", "PL.3", "PL.4"]
    assert tasks["PL.1"].title == "Hoàn thiện bộ tiêu chí điểm du lịch cộng đồng, trình Ủy ban nhân dân tỉnh"
    assert tasks["PL.1"].lead == ["Sở Du lịch"] and tasks["PL.1"].timeframe == "31/10/2025"
    assert tasks["PL.2"].partners == ["Sở Công Thương"]
    assert tasks["PL.3"].timeframe == "Nhiệm vụ thường xuyên"
    assert tasks["PL.4"].lead == ["Sở Y tế"]  # (not "ngành y tế Sở Y tế")


def test_numbered_sentences_without_deadlines_are_no_table():
    from vanban.extract.layout import Para
    from vanban.extract.table import run_on_row_tasks
    paras = [Para(text=t, refs=[], body=t) for t in (
        "1 Sở Du lịch tổ chức hội chợ.", "2 Sở Y tế kiểm tra an toàn thực phẩm.", "3 Sở Công Thương bình ổn giá.")]
    assert run_on_row_tasks(paras) == []


def test_folded_heading_does_not_end_before_an_object_or_a_documents_title():
    from vanban.extract.segment import segment
    lines = segment("II. NHIỆM VỤ 1. Ngày 16/6/2025, Quốc hội đã thông qua Luật Tổ chức chính quyền địa phương "
                    "với những quy định mới. 2. Bộ trưởng Bộ Quốc phòng chỉ đạo Quân khu 5, Quân khu 7 bổ sung "
                    "lực lượng. 3. Cục Du lịch Quốc gia Việt Nam Phối hợp với các địa phương quảng bá. "
                    "4. Ban Chỉ đạo Tỉnh ủy Chủ trì tổng kết.")
    assert any(ln.startswith("1. Ngày 16/6/2025") and ln.endswith("quy định mới.") for ln in lines)
    assert any(ln.startswith("2. Bộ trưởng") and ln.endswith("lực lượng.") for ln in lines)
    assert "3. Cục Du lịch Quốc gia Việt Nam" in lines  # a heading, then its sentence


TASK_CASES["thong_doc_title_opens_an_addressee"] = (
    _CONG_DIEN + "1. Thống đốc Ngân hàng Nhà nước Việt Nam chỉ đạo các ngân hàng giãn nợ cho khách hàng.\n"
    "2. Bộ trưởng Bộ Tài chính bố trí kinh phí khắc phục hậu quả.\n" + _CD_END,
    {"1": {"lead": ["Thống đốc Ngân hàng Nhà nước Việt Nam"]}})


TASK_CASES["long_member_lists_before_the_verb"] = (
        _CONG_DIEN + "1. Bộ trưởng các Bộ: Quốc phòng, Công an, Nông nghiệp và Môi trường, Xây dựng, Công Thương, "
        "Khoa học và Công nghệ, Giáo dục và Đào tạo, Y tế; Chủ tịch Ủy ban nhân dân các tỉnh, thành phố ven "
        "biển từ Đà Nẵng đến Lâm Đồng tổ chức theo dõi sát diễn biến của bão.\n"
        "2. Bộ trưởng Bộ Tài chính bố trí kinh phí khắc phục hậu quả.\n" + _CD_END,
        {"1": {"lead": Matches(lambda lead: len(lead) == 2 and lead[1].endswith("từ Đà Nẵng đến Lâm Đồng"),
                               "two agencies, the second ending 'từ Đà Nẵng đến Lâm Đồng'")}})


def test_folded_caps_title_loses_the_next_bullets_dash():
    record = valid_record(
        "HƯỚNG DẪN\nXÂY DỰNG ĐỘI NGŨ HƯỚNG DẪN VIÊN DU LỊCH CỘNG ĐỒNG\n"
        "- Căn cứ Quyết định số 12-QĐ/TU, ngày 2/3/2025 của Ban Thường vụ Tỉnh ủy về phát triển du lịch;\n"
        "- Căn cứ Quy định số 15-QĐ/TU, ngày 9/4/2025 của Ban Thường vụ Tỉnh ủy về công tác tuyên truyền;\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Nâng cao chất lượng đội ngũ hướng dẫn viên du lịch cộng đồng của tỉnh.\n"
        "2. Phát huy vai trò của các hộ làm du lịch trong quảng bá điểm đến.\n", flatten=True)
    assert record.document["title"] == "Xây dựng đội ngũ hướng dẫn viên du lịch cộng đồng"


@pytest.mark.parametrize("flatten", [False, True])
def test_manner_label_item_is_no_task(flatten):
    record = valid_record(
        _LETTER + "1. Đối tượng: Cán bộ quản lý thị trường cấp xã.\n"
        "2. Cách thức thực hiện: Học trực tuyến theo lịch của Bộ.\n"
        "3. Ủy ban nhân dân các tỉnh cử cán bộ tham dự đầy đủ.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Văn Bình\n", flatten)
    assert [t.path for t in record.tasks] == ["3"]


DOCUMENT_CASES["board_of_the_central_committee_is_named_trung_uong"] = (
    "BAN CHẤP HÀNH TRUNG ƯƠNG BAN TỔ CHỨC\nĐẢNG CỘNG SẢN VIỆT NAM Số 12-HD/BTCTW Hà Nội, ngày 3 tháng 5 "
    "năm 2025\nHƯỚNG DẪN\nVỀ CÔNG TÁC ĐÁNH GIÁ CÁN BỘ NĂM 2025\n"
    "Thực hiện chỉ đạo của Ban Bí thư, Ban Tổ chức Trung ương hướng dẫn như sau:\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n1. Đánh giá đúng chất lượng đội ngũ cán bộ.\n"
    "II. NỘI DUNG\n1. Các cấp ủy tổ chức đánh giá cán bộ theo quy định.\n" + _END,
    {"issuer": "Ban Tổ chức Trung ương"})


# ------------------------- review fixes: shapes the round-8 rules misfired on
_LETTER_HEAD = (
    "ỦY BAN NHÂN DÂN\nTỈNH AN BÌNH\nSố: 460/UBND-KT\nV/v phòng chống dịch bệnh trên cây trồng\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nAn Bình, ngày 12 tháng 5 năm 2025\n"
    "Kính gửi:\n- Các sở, ban, ngành tỉnh;\n- Ủy ban nhân dân các xã, phường.\n"
)


def _letter(body: str) -> str:
    return _LETTER_HEAD + body + _END


def _item_leads(*leads: str) -> dict:
    """The tasks of items 1, 2, ... each led by the agency of ``leads`` at its place."""
    return {str(n): {"lead": [lead]} for n, lead in enumerate(leads, 1)}


def _letter_tasks(body: str, flatten: bool = False) -> dict:
    return {t.path: t for t in valid_record(_letter(body), flatten).tasks}


for _speaker, _intro in (
    ("chairman", "Chủ tịch Ủy ban nhân dân tỉnh chỉ đạo như sau:"),
    ("committee", "Ủy ban nhân dân tỉnh chỉ đạo các sở, ban, ngành và địa phương thực hiện tốt các nội dung sau:"),
):
    TASK_CASES[f"issuer_speaking_in_the_intro_leads_no_item[{_speaker}]"] = (_letter(
        "Thời gian qua, dịch bệnh trên cây trồng diễn biến phức tạp. " + _intro + "\n"
        "1. Tăng cường kiểm tra đồng ruộng.\n2. Tổ chức phun thuốc phòng trừ kịp thời.\n"
        "3. Sở Nông nghiệp và Môi trường chủ trì, theo dõi tình hình dịch bệnh.\n"),
        {"1": {"lead": []}, "2": {"lead": []}, "3": {"lead": ["Sở Nông nghiệp và Môi trường"]}})


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("table", [
    # a list of documents under its header row
    "Đề nghị các sở rà soát các văn bản sau:\nSTT Tên văn bản Cơ quan ban hành Ngày ban hành\n"
    "1 Thông tư hướng dẫn quản lý giống cây trồng Bộ Nông nghiệp và Môi trường 15/3/2024\n"
    "2 Nghị định quy định chi tiết Luật Trồng trọt Chính phủ 20/4/2024\n"
    "3 Quyết định ban hành định mức kinh tế kỹ thuật Bộ Nông nghiệp và Môi trường 10/6/2024\n",
    # figures by place, no status after the dates
    "Ủy ban nhân dân tỉnh có ý kiến như sau:\nTình hình dịch bệnh tính đến ngày 10/5/2025 như sau:\n"
    "1 Huyện Đức Phổ ghi nhận 80 ca mắc, Trung tâm Y tế huyện Đức Phổ 10/5/2025 đã xử lý\n"
    "2 Huyện Mộ Đức ghi nhận 25 ca mắc, Trung tâm Y tế huyện Mộ Đức 09/5/2025 đã xử lý\n"
    "3 Thị xã Đức Phổ ghi nhận 30 ca mắc, Trung tâm Kiểm soát bệnh tật tỉnh 08/5/2025 đang theo dõi\n",
])
def test_numbered_lines_with_dates_are_no_run_on_task_table(table, flatten):
    tasks = _letter_tasks(
        table + "Kết quả gửi về Sở Y tế trước ngày 30/5/2025.\n", flatten)
    assert not [p for p in tasks if p.startswith("PL.")]


TASK_CASES["gia_and_quyen_after_a_name_open_its_work"] = (_letter(
    "Ủy ban nhân dân tỉnh yêu cầu:\n1. Cục Hải quan tỉnh gia hạn thời gian làm thủ tục cho doanh nghiệp.\n"
    "2. Sở Công Thương gia tăng hoạt động xúc tiến thương mại.\n"
    "3. Ban Chỉ đạo 138 quốc gia tăng cường kiểm tra tại các địa phương.\n"),
    _item_leads("Cục Hải quan tỉnh", "Sở Công Thương", "Ban Chỉ đạo 138 quốc gia"))


def test_quyen_after_a_group_is_no_name_word():
    from vanban.extract.agencies import agency_spans
    text = "Ủy ban nhân dân các phường quyền hạn được giao; chính quyền địa phương các cấp"
    assert [text[a:b] for a, b in agency_spans(text)] == ["Ủy ban nhân dân các phường", "chính quyền địa phương các cấp"]


TASK_CASES["xay_dung_after_a_whole_name_is_its_verb"] = (_letter(
    "Ủy ban nhân dân tỉnh yêu cầu:\n1. Sở Tài chính xây dựng kịp thời phương án phân bổ vốn.\n"
    "2. Ủy ban nhân dân các phường xây dựng triển khai thực hiện phương án phòng cháy.\n"
    "3. Cục Quản lý hoạt động xây dựng tham mưu hướng dẫn thủ tục cấp phép.\n"),
    _item_leads("Sở Tài chính", "Ủy ban nhân dân các phường", "Cục Quản lý hoạt động xây dựng"))


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("title, defined, expected", [
    ("TỔ CHỨC CÁC HOẠT ĐỘNG HƯỞNG ỨNG NGÀY SÁCH VÀ VĂN HÓA ĐỌC VIỆT NAM NĂM 2025",
     "hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam (sau đây gọi tắt là Ngày Sách)",
     "Tổ chức các hoạt động hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam năm 2025"),
    ("TỔ CHỨC GIẢI THƯỞNG BÁO CHÍ VỀ NÔNG NGHIỆP NĂM 2025",
     "tổ chức Giải thưởng Báo chí về nông nghiệp (sau đây gọi tắt là Giải)",
     "Tổ chức Giải thưởng Báo chí về nông nghiệp năm 2025"),
])
def test_a_defined_short_name_lowers_only_itself_in_the_title(title, defined, expected, flatten):
    head = _HEAD.replace("KẾ HOẠCH\nPhát triển du lịch cộng đồng năm 2025\n", "KẾ HOẠCH\n" + title + "\n")
    record = valid_record(
        head + "Ủy ban nhân dân tỉnh ban hành Kế hoạch " + defined + " năm 2025 như sau:\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nNâng cao ý thức đọc sách.\n2. Yêu cầu\nThiết thực, hiệu quả.\n"
        "II. NỘI DUNG\n1. Tổ chức triển lãm sách.\n" + _END, flatten)
    assert record.document["title"] == expected


DOCUMENT_CASES["parent_line_in_sentence_case_stays_the_issuers_parent"] = (
    "UBND tỉnh Hòa Sơn\nSỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\nSố: 31/KH-SNNMT\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHòa Sơn, ngày 4 tháng 3 năm 2025\n"
    "KẾ HOẠCH\nKiểm tra an toàn đập, hồ chứa nước năm 2025\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n1. Bảo đảm an toàn hồ chứa trong mùa mưa lũ.\n"
    "II. NỘI DUNG\n1. Kiểm tra hiện trạng các hồ chứa.\n" + _END,
    {"issuer_parent": "Ủy ban nhân dân tỉnh Hòa Sơn", "issuer": "Sở Nông nghiệp và Môi trường"})


for _report, _item in (
    ("reported", "2. Sở Văn hóa, Thể thao và Du lịch báo cáo kết quả như sau:\n(1) Tổ chức 12 lớp tập huấn.\n"
                 "(2) Tuyên truyền cho 3.000 lượt người.\n"),
    ("in_the_year", "2. Sở Văn hóa, Thể thao và Du lịch tiếp tục theo dõi; trong năm:\n"
                    "(1) Tổ chức kiểm tra được 45 cơ sở.\n(2) Tuyên truyền đã tiếp cận 3.000 lượt người.\n"),
):
    TASK_CASES[f"reported_results_in_brackets_are_no_tasks[{_report}]"] = (_letter(
        "Ủy ban nhân dân tỉnh yêu cầu:\n1. Công an tỉnh tăng cường kiểm tra an toàn phòng cháy.\n" + _item
            + "3. Sở Tài chính tham mưu bố trí kinh phí.\n"),
        {"2.1": None, "2": {"lead": ["Sở Văn hóa, Thể thao và Du lịch"]}})


RECORD_CASES["a_paragraph_opening_with_a_count_does_not_end_the_preamble"] = (
    _HEAD +
    "Căn cứ Luật Du lịch ngày 19 tháng 6 năm 2017;\n"
    "15 Sở, ngành và 9 huyện đã triển khai kế hoạch du lịch năm 2024 có hiệu quả.\n"
    "Căn cứ Quyết định số 120/QĐ-UBND ngày 02/01/2025 của Ủy ban nhân dân tỉnh;\n"
    "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n1. Phát huy tiềm năng du lịch.\nII. NHIỆM VỤ\n1. Tổ chức hội chợ du lịch.\n" + _END,
    {"legal_bases": Matches(lambda got: "120/QĐ-UBND" in got, "holding '120/QĐ-UBND'")})


@pytest.mark.parametrize("flatten", [False, True])
def test_one_lone_letter_in_a_recipient_is_a_label(flatten):
    record = valid_record(
        _LETTER_HEAD + "Ủy ban nhân dân tỉnh yêu cầu:\n1. Sở Y tế tăng cường kiểm tra an toàn thực phẩm.\n"
        "Nơi nhận:\n- Như trên;\n- Đội kiểm tra B an toàn thực phẩm;\n- Lưu: VT, hồ sơ mẫu số B ANH.\n"
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n", flatten)
    assert "Đội kiểm tra B an toàn thực phẩm" in record.recipients
    assert "Lưu: VT, hồ sơ mẫu số B ANH" in record.recipients
    assert record.signature["title"] == "PHÓ CHỦ TỊCH"


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("text, expected", list(TASK_CASES.values()), ids=list(TASK_CASES))
def test_made_up_text_gives_its_tasks(text, expected, flatten):
    assert_tasks(valid_record(text, flatten).tasks, expected)


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("text, expected", list(DOCUMENT_CASES.values()), ids=list(DOCUMENT_CASES))
def test_made_up_text_gives_its_document(text, expected, flatten):
    assert_fields(valid_record(text, flatten).document, expected)


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("text, expected", list(RECORD_CASES.values()), ids=list(RECORD_CASES))
def test_made_up_text_gives_its_record(text, expected, flatten):
    assert_fields(valid_record(text, flatten), expected)


# ------------------------- second review: the run-on table reader's guards
_PROGRESS = (
    "Kết quả thực hiện các nhiệm vụ được giao như sau:\n{header}"
    "1 {k1} tổng hợp dữ liệu dân cư Sở Tư pháp 30/6/2025 {s1}\n"
    "2 {k2} cơ sở giết mổ Văn phòng Ủy ban nhân dân tỉnh 31/7/2025 Đang thực hiện\n"
    "3 {k3} bến xe khách Sở Xây dựng 15/8/2025 {s3}\n"
    "4 Tổ chức diễn đàn khởi nghiệp Sở Khoa học và Công nghệ 30/9/2025 {s4}\n")


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("fields", [
    # a bare "Hoàn thành" status
    dict(header="", k1="Đôn đốc", k2="Kiểm tra", k3="Khảo sát", s1="Hoàn thành", s3="Hoàn thành", s4="Hoàn thành"),
    # rows opening with a document kind, each with its status
    dict(header="", k1="Đề án", k2="Kế hoạch kiểm tra", k3="Quy chế khảo sát", s1="Đã hoàn thành", s3="Chưa hoàn thành",
         s4="Quá hạn"),
    # a task table's own header row ("TT … Tình trạng") before row 1
    dict(header="TT Nhiệm vụ Cơ quan chủ trì Thời hạn Tình trạng\n", k1="Đôn đốc", k2="Kiểm tra",
         k3="Khảo sát",
         s1="Đã hoàn thành", s3="Trễ hạn", s4="Chưa triển khai"),
])
def test_progress_table_rows_with_any_status_are_tasks(fields, flatten):
    tasks = _letter_tasks(_PROGRESS.format(**fields), flatten)
    assert [p for p in tasks if p.startswith("PL.")] == ["PL.1", "PL.2", "PL.3", "PL.4"]
    assert tasks["PL.3"].lead == ["Sở Xây dựng"] and tasks["PL.3"].timeframe == "15/8/2025"
    assert tasks["PL.2"].lead == ["Văn phòng Ủy ban nhân dân tỉnh"]  # (a bare head is no whole name before it)


def test_a_status_word_inside_a_result_is_no_status_cell():
    from vanban.extract.table import is_run_on_row
    assert is_run_on_row("1 Tổ chức hội chợ Sở Du lịch 30/11/2025 Đã trình. Đã hoàn thành")
    assert not is_run_on_row("1 Huyện Đức Phổ ghi nhận 80 ca mắc 10/5/2025 cần hoàn thành xử lý ổ dịch trước tháng 6")


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("stray", ["UBND tỉnh tổ chức lễ hội hoa ban", "Bố trí vốn cho các công trình"])
def test_short_sentence_opening_like_a_parent_above_the_header_is_dropped(stray, flatten):
    record = valid_record(
        stray + "\nỦY BAN NHÂN DÂN\nTỈNH HÒA SƠN\nSố: 31/KH-UBND\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHòa Sơn, ngày 4 tháng 3 năm 2025\n"
        "KẾ HOẠCH\nKiểm tra an toàn đập, hồ chứa nước năm 2025\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Bảo đảm an toàn hồ chứa trong mùa mưa lũ.\n"
        "II. NỘI DUNG\n1. Kiểm tra hiện trạng các hồ chứa.\n" + _END, flatten)
    assert record.document["issuer"] == "Ủy ban nhân dân tỉnh Hòa Sơn"
    assert not record.document.get("issuer_parent")


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("intro, lead", [
    # the issuer named in another case or spelling, or a committee of another level
    ("UBND Tỉnh chỉ đạo các sở, ngành thực hiện các nội dung sau:", []),
    ("Ủy ban Nhân dân tỉnh chỉ đạo các sở, ngành thực hiện các nội dung sau:", []),
    # (a bare committee of another level in the province's letter is no speaker since round 9,
    # which compares with the record's own issuer: tests/test_extract_round9.py)
    ("Ủy ban nhân dân phường chỉ đạo các tổ dân phố thực hiện các nội dung sau:", ["Ủy ban nhân dân phường"]),
    # the body directed, named after "chỉ đạo"
    ("Chủ tịch UBND tỉnh chỉ đạo Sở Công Thương:", ["Sở Công Thương"]),
    ("Ủy ban nhân dân tỉnh chỉ đạo Sở Công Thương thực hiện các nội dung sau:", ["Sở Công Thương"]),
    # a group speaking
    ("Ủy ban nhân dân các xã, phường chỉ đạo như sau:", ["Ủy ban nhân dân các xã, phường"]),
])
def test_the_issuer_or_the_body_it_directs_in_the_intro(intro, lead, flatten):
    tasks = _letter_tasks(
        intro + "\n1. Kiểm tra việc niêm yết giá tại các chợ.\n2. Xử lý nghiêm hành vi đầu cơ hàng hóa.\n", flatten)
    assert tasks["1"].lead == lead and tasks["2"].lead == lead


@pytest.mark.parametrize("flatten", [False, True])
def test_dac_biet_as_an_adverb_ends_a_name(flatten):
    from vanban.extract.agencies import agency_spans
    text = "Ủy ban nhân dân các phường đặc biệt là các phường ven sông tăng cường tuần tra"
    assert [text[a:b] for a, b in agency_spans(text)][0] == "Ủy ban nhân dân các phường"
    tasks = _letter_tasks(
        "Ủy ban nhân dân tỉnh yêu cầu:\n1. Sở Giáo dục và Đào tạo đặc biệt chú trọng an toàn trường học.\n"
        "2. Phối hợp với Ban Công tác đặc biệt tỉnh Hủa Phăn xây dựng phương án tuần tra biên giới.\n", flatten)
    assert tasks["1"].lead == ["Sở Giáo dục và Đào tạo"]
    assert tasks["2"].partners == ["Ban Công tác đặc biệt tỉnh Hủa Phăn"]


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("item, lead", [
    ("Cục Thuế tỉnh gia tăng kiểm tra hóa đơn điện tử.", "Cục Thuế tỉnh"),
    ("Ủy ban nhân dân các phường quyền hạn được giao thực hiện kiểm tra.", "Ủy ban nhân dân các phường"),
    ("Ban Chỉ đạo 389 quốc gia tăng cường kiểm tra hàng giả.", "Ban Chỉ đạo 389 quốc gia"),
    ("Cục Bản quyền tác giả hướng dẫn đăng ký quyền tác giả.", "Cục Bản quyền tác giả"),
])
def test_gia_and_quyen_after_a_name_end_the_items_opening_subject(item, lead, flatten):
    tasks = _letter_tasks("Ủy ban nhân dân tỉnh yêu cầu:\n1. " + item + "\n2. Sở Tài chính bố trí kinh phí.\n", flatten)
    assert tasks["1"].lead == [lead]


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("intro, lead", [
    # a lower-level committee named by its place is an addressee, never the document speaking
    ("Ủy ban nhân dân xã Phú Mỹ chủ trì, phối hợp với các đơn vị liên quan thực hiện các nội dung sau:",
     ["Ủy ban nhân dân xã Phú Mỹ"]),
    ("Ủy ban nhân dân huyện Phú Lộc thực hiện các nội dung sau:", ["Ủy ban nhân dân huyện Phú Lộc"]),
    ("Ủy ban nhân dân thị xã Phú Thọ, Ủy ban nhân dân huyện Lâm Thao thực hiện các nội dung sau:",
     ["Ủy ban nhân dân thị xã Phú Thọ", "Ủy ban nhân dân huyện Lâm Thao"]),
    # the province's: the issuer speaking (a bare lower committee speaks only in its own letter
    # since round 9: tests/test_extract_round9.py)
    ("Ủy ban nhân dân xã chỉ đạo các thôn thực hiện các nội dung sau:", ["Ủy ban nhân dân xã"]),
    ("UBND Tỉnh chỉ đạo các sở, ngành thực hiện các nội dung sau:", []),
])
def test_a_named_lower_committee_leads_a_bare_one_speaks(intro, lead, flatten):
    tasks = _letter_tasks(
        intro + "\n1. Kiểm tra việc niêm yết giá tại các chợ.\n2. Xử lý nghiêm hành vi đầu cơ hàng hóa.\n", flatten)
    assert tasks["1"].lead == lead and tasks["2"].lead == lead


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("intro, lead", [
    # "chỉ đạo" as a noun names the authority above, not the body the items charge
    ("Thực hiện ý kiến chỉ đạo Chủ tịch UBND tỉnh tại Thông báo số 12/TB-UBND, Sở Y tế hướng dẫn "
     "các đơn vị thực hiện các nội dung sau:", []),
    ("Thực hiện chỉ đạo Thủ tướng Chính phủ tại Công điện số 12/CĐ-TTg, Ủy ban nhân dân tỉnh triển khai "
     "các nội dung sau:", []),
    # the verb, with a name whose function takes an object (round 10: read whole, no truncated name)
    ("UBND tỉnh chỉ đạo Ban Quản lý dự án đầu tư xây dựng tỉnh thực hiện các nội dung sau:",
     ["Ban Quản lý dự án đầu tư xây dựng tỉnh"]),
    # the verb, with its object followed by its own verb
    ("Chủ tịch UBND tỉnh chỉ đạo Sở Công Thương thực hiện các nội dung sau:", ["Sở Công Thương"]),
])
def test_chi_dao_directs_a_body_only_as_the_main_verb(intro, lead, flatten):
    tasks = _letter_tasks(
        intro + "\n1. Kiểm tra việc niêm yết giá tại các chợ.\n2. Xử lý nghiêm hành vi đầu cơ hàng hóa.\n", flatten)
    assert tasks["1"].lead == lead and tasks["2"].lead == lead


@pytest.mark.parametrize("text, name", [
    ("Ban Quản lý khu kinh tế đặc biệt tập trung thu hút đầu tư", "Ban Quản lý khu kinh tế đặc biệt"),
    ("Ban Quản lý khu kinh tế đặc biệt cần rà soát quy hoạch", "Ban Quản lý khu kinh tế đặc biệt"),
    ("Ban Quản lý khu kinh tế đặc biệt phải hoàn thành quy hoạch", "Ban Quản lý khu kinh tế đặc biệt"),
])
def test_dac_biet_before_can_phai_tap_trung_stays_in_the_name(text, name):
    from vanban.extract.agencies import agency_spans
    assert [text[a:b] for a, b in agency_spans(text)][0] == name
