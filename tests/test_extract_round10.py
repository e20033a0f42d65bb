"""extract, issue 13 round 10: the review of round 9 (regressions and shapes it missed), each
shown on a small made-up text of the same shape, as written and folded to one line."""

from __future__ import annotations

import pytest

from tests.support.expected_tasks import assert_tasks
from tests.support.records import valid_record

_SO_LETTER = (
    "UBND TỈNH AN BÌNH\nSỞ Y TẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 812/SYT-NVY\nV/v phòng, chống sốt xuất huyết\nAn Bình, ngày 4 tháng 7 năm 2026\n"
    "Kính gửi: Ủy ban nhân dân các xã, phường.\n"
    "Để chủ động phòng, chống dịch sốt xuất huyết, Sở Y tế đề nghị các đơn vị thực hiện các nội dung sau:\n"
)
_END = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nGIÁM ĐỐC\nLê Văn Hùng\n"


# ------------------------- M1: a letter's closing polite sentence run into the last item
@pytest.mark.parametrize("flatten", [False, True])
def test_a_closing_polite_sentence_names_no_lead(flatten):
    text = (_SO_LETTER
            + "1. Ủy ban nhân dân các xã, phường tổ chức chiến dịch diệt lăng quăng.\n"
            "2. Sở Y tế sẽ tổ chức đoàn kiểm tra công tác phòng dịch trong tháng 8 năm 2026.\n"
            "Sở Y tế trân trọng đề nghị Quý Cơ quan quan tâm, phối hợp thực hiện./.\n" + _END)
    assert_tasks(valid_record(text, flatten).tasks, {
        "1": {"lead": ["Ủy ban nhân dân các xã, phường"]},
        "2": {"lead": ["Sở Y tế"], "timeframe": "trong tháng 8 năm 2026"},
    })


@pytest.mark.parametrize("flatten", [False, True])
def test_a_last_polite_request_that_names_work_still_leads(flatten):
    # (a request in the last sentence that asks for work is no closing formula)
    text = (_SO_LETTER
            + "1. Lịch tiêm được gửi kèm theo. Sở Y tế trân trọng đề nghị Ủy ban nhân dân các xã, phường "
            "tuyên truyền cho nhân dân trên địa bàn.\n" + _END)
    assert_tasks(valid_record(text, flatten).tasks, {"1": {"lead": ["Ủy ban nhân dân các xã, phường"]}})


# ------------------------- M2: an unclosed “ pairs with a later item's ” (folded text)
_UBND_LETTER = (
    "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 702/UBND-VX\nV/v phát động thi đua năm 2026\nAn Bình, ngày 10 tháng 9 năm 2026\n"
    "Kính gửi: Các sở, ban, ngành tỉnh.\nĐể triển khai phong trào thi đua, Ủy ban nhân dân tỉnh yêu cầu:\n"
)


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("opening", [
    "phát động phong trào “Toàn dân chung sức xây dựng nông thôn mới trên địa bàn tỉnh.",
    # (after a colon, as a quoted provision opens: its "2." still goes on the letter's own list)
    "phát động phong trào với khẩu hiệu: “Toàn dân chung sức xây dựng nông thôn mới.",
])
def test_an_unclosed_quote_keeps_the_items_after_it(opening, flatten):
    text = (_UBND_LETTER + "1. Sở Văn hóa, Thể thao và Du lịch " + opening + "\n"
            "2. Sở Nội vụ hướng dẫn đăng ký thi đua, hoàn thành trước ngày 30 tháng 9 năm 2026.\n"
            "3. Tỉnh đoàn tổ chức chiến dịch “Mùa hè xanh” cho đoàn viên.\n"
            "4. Sở Tài chính bố trí kinh phí khen thưởng.\n" + _END)
    assert_tasks(valid_record(text, flatten).tasks, {
        "1": {"lead": ["Sở Văn hóa, Thể thao và Du lịch"], "timeframe": None},
        "2": {"lead": ["Sở Nội vụ"], "timeframe": "trước ngày 30 tháng 9 năm 2026"},
        "3": {"lead": ["Tỉnh đoàn"]},
        "4": {"lead": ["Sở Tài chính"]},
    })


# ------------------------- M3: lower-case words that belong to a name (agencies.json name_tails, object_heads)
@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("item, lead", [
    ("Báo An Bình điện tử bố trí nhân lực đưa tin.", ["Báo An Bình điện tử"]),
    ("Chi cục Quản lý chất lượng nông lâm sản và thủy sản kiểm tra an toàn thực phẩm.",
     ["Chi cục Quản lý chất lượng nông lâm sản và thủy sản"]),
    ("Trung tâm Quản lý đất đai tỉnh chủ trì đo đạc bản đồ địa chính.", ["Trung tâm Quản lý đất đai tỉnh"]),
    ("Ban Quản lý an toàn thực phẩm kiểm tra các bếp ăn tập thể.", ["Ban Quản lý an toàn thực phẩm"]),
    ("Văn phòng Đăng ký đất đai tỉnh cập nhật hồ sơ địa chính.", ["Văn phòng Đăng ký đất đai tỉnh"]),
    # (letters only: a plan item's opening subject reads no name with "và" as particular, and
    # leads with no modal, "cần")
    pytest.param("Quỹ Bảo vệ và phát triển rừng tỉnh chi trả tiền dịch vụ môi trường rừng.",
                 ["Quỹ Bảo vệ và phát triển rừng tỉnh"], id="letter-only-quy-bao-ve"),
    ("Ban Quản lý dự án đầu tư xây dựng tỉnh đẩy nhanh tiến độ giải ngân.", ["Ban Quản lý dự án đầu tư xây dựng tỉnh"]),
    # (the object ends at a proper name, a place level or a modal: the body's own verb follows)
    ("Ban Quản lý rừng phòng hộ Sông Hinh bảo vệ diện tích rừng được giao.", ["Ban Quản lý rừng phòng hộ Sông Hinh"]),
    ("Văn phòng Đăng ký đất đai tỉnh chỉnh lý biến động đất đai.", ["Văn phòng Đăng ký đất đai tỉnh"]),
    pytest.param("Ban Quản lý khu kinh tế cần rà soát quy hoạch chung.", ["Ban Quản lý khu kinh tế"],
                 id="letter-only-modal"),
    # (a lower-case word after a proper name still ends it; a capitalised function's object ends at its verb)
    ("Báo An Bình đưa tin về các hoạt động.", ["Báo An Bình"]),
    ("Ban Quản lý các khu công nghiệp quản lý chặt chẽ lao động.", ["Ban Quản lý các khu công nghiệp"]),
    # (second review S5: after a place level ends the object, "và các <place level>" is a second body)
    ("Ban Quản lý an toàn thực phẩm tỉnh và các huyện kiểm tra các bếp ăn tập thể.",
     ["Ban Quản lý an toàn thực phẩm tỉnh", "các huyện"]),
])
def test_lower_case_words_that_belong_to_a_name(item, lead, flatten, request):
    text = (_UBND_LETTER + "1. " + item + "\n2. Sở Tài chính bố trí kinh phí khen thưởng.\n" + _END)
    assert_tasks(valid_record(text, flatten).tasks, {"1": {"lead": lead}, "2": {"lead": ["Sở Tài chính"]}})
    if "letter-only" in request.node.callspec.id:
        return
    record = valid_record(_UBND_LETTER.replace("702/UBND-VX", "45/KH-UBND").replace("V/v phát động thi đua năm 2026\n", "")
                          .replace("Kính gửi: Các sở, ban, ngành tỉnh.\n", "KẾ HOẠCH\nPhát động thi đua năm 2026\n")
                          .replace("Để triển khai phong trào thi đua, Ủy ban nhân dân tỉnh yêu cầu:\n",
                                   "I. MỤC ĐÍCH\n1. Bảo đảm thi đua thiết thực.\nII. NHIỆM VỤ\n")
                          + "1. " + item + "\n2. Sở Tài chính bố trí kinh phí khen thưởng.\n" + _END, flatten)
    assert_tasks(record.tasks, {"II.1": {"lead": lead}})


# ------------------------- M4: a decision's later articles are no part of Điều 1's last term
_APPROVAL = (
    "ỦY BAN NHÂN DÂN\nTỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 950/QĐ-UBND\nAn Bình, ngày 20 tháng 5 năm 2026\nQUYẾT ĐỊNH\n"
    "Phê duyệt Đề án phát triển du lịch cộng đồng giai đoạn 2026 - 2030\n"
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCăn cứ Luật Du lịch ngày 19 tháng 6 năm 2017;\n"
    "QUYẾT ĐỊNH:\n"
    "Điều 1. Phê duyệt Đề án phát triển du lịch cộng đồng giai đoạn 2026 - 2030 với những nội dung chủ yếu sau:\n"
    "1. Mục tiêu: Đến năm 2030, có 20 điểm du lịch cộng đồng đạt chuẩn.\n"
    "2. Kinh phí thực hiện: Ngân sách nhà nước và nguồn xã hội hóa.\n"
)
_LATER_ARTICLES = (
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
    "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở chịu trách nhiệm thi hành Quyết định này./.\n"
    "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\nCHỦ TỊCH\nTrần Văn Bình\n"
)


@pytest.mark.parametrize("flatten", [False, True])
def test_the_last_lettered_duty_of_article_1_ends_before_article_2(flatten):
    text = (_APPROVAL + "3. Tổ chức thực hiện:\na) Sở Văn hóa, Thể thao và Du lịch chủ trì triển khai Đề án.\n"
            "b) Sở Tài chính bố trí kinh phí thực hiện.\n" + _LATER_ARTICLES)
    duties = {d.path: (d.agency, d.text) for d in valid_record(text, flatten).duties}
    assert duties == {"3.a": ("Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch chủ trì triển khai Đề án."),
                      "3.b": ("Sở Tài chính", "Sở Tài chính bố trí kinh phí thực hiện.")}


@pytest.mark.parametrize("flatten", [False, True])
def test_the_last_task_term_of_article_1_ends_before_article_2(flatten):
    text = (_APPROVAL + "3. Nhiệm vụ và giải pháp:\na) Hoàn thiện cơ chế hỗ trợ du lịch cộng đồng.\n"
            "b) Đào tạo nguồn nhân lực du lịch cộng đồng.\n" + _LATER_ARTICLES)
    tasks = valid_record(text, flatten).tasks
    assert [t.path for t in tasks] == ["3"]
    assert "Điều 2" not in tasks[0].text and tasks[0].text.endswith("Đào tạo nguồn nhân lực du lịch cộng đồng.")


# ------------------------- M6: a law quoted over several lines is one passage, as in a folded text
_QUOTING_ANSWER = (
    "CỤC THUẾ\nTHUẾ TỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 2150/TAB-CS\nV/v chính sách thuế thu nhập doanh nghiệp\nAn Bình, ngày 18 tháng 5 năm 2026\n"
    "Kính gửi: Công ty Cổ phần Xây dựng Phú Lộc\n"
    "Thuế tỉnh An Bình nhận được Công văn số 05/2026/CV-PL ngày 02 tháng 5 năm 2026 của Công ty hỏi về chính "
    "sách thuế. Về vấn đề này, Thuế tỉnh An Bình có ý kiến như sau:\n"
    "- Căn cứ Luật Thuế thu nhập doanh nghiệp số 67/2025/QH15.\n"
    "- Căn cứ khoản 2 Điều 6 Thông tư số 78/2014/TT-BTC của Bộ Tài chính quy định: “Điều 6. Các khoản chi "
    "được trừ và không được trừ\n"
    "1. Trừ các khoản chi không được trừ, doanh nghiệp được trừ mọi khoản chi nếu đáp ứng đủ các điều kiện sau:\n"
    "a) Khoản chi thực tế phát sinh liên quan đến hoạt động sản xuất, kinh doanh.\n"
    "b) Khoản chi có đủ hóa đơn, chứng từ hợp pháp.”\n"
    "Căn cứ các quy định nêu trên, khoản chi đáp ứng các điều kiện thì được tính vào chi phí được trừ.\n"
    "Thuế tỉnh An Bình sẽ tổ chức đối thoại với doanh nghiệp trong quý III năm 2026.\n"
    "Thuế tỉnh An Bình thông báo để Công ty được biết./.\n"
    "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. TRƯỞNG THUẾ TỈNH\nPHÓ TRƯỞNG THUẾ TỈNH\nNguyễn Thị Hoa\n"
)


def test_a_quoted_law_reads_the_same_written_and_folded():
    written, folded = valid_record(_QUOTING_ANSWER), valid_record(_QUOTING_ANSWER, flatten=True)
    shown = [[(t.path, t.lead, t.timeframe, t.text) for t in r.tasks] for r in (written, folded)]
    assert shown[0] == shown[1]
    assert written.legal_bases == folded.legal_bases
    # the quoted clause is no task of the letter
    assert not any("Trừ các khoản chi" in t.text for t in written.tasks)


# ------------------------- S5 (part): a plan item's particular body and the work it "sẽ" do leads
@pytest.mark.parametrize("flatten", [False, True])
def test_a_plan_body_that_will_do_the_work_leads(flatten):
    text = (_UBND_LETTER.replace("702/UBND-VX", "45/KH-UBND").replace("V/v phát động thi đua năm 2026\n", "")
            .replace("Kính gửi: Các sở, ban, ngành tỉnh.\n", "KẾ HOẠCH\nPhát động thi đua năm 2026\n")
            .replace("Để triển khai phong trào thi đua, Ủy ban nhân dân tỉnh yêu cầu:\n",
                     "I. MỤC ĐÍCH\n1. Bảo đảm thi đua thiết thực.\nII. NHIỆM VỤ\n")
            + "1. Báo An Bình điện tử sẽ bố trí nhân lực đưa tin.\n2. Sở Tài chính sẽ bố trí kinh phí khen thưởng.\n"
            "3. Các hoạt động sẽ được tổ chức trong quý IV.\n" + _END)
    assert_tasks(valid_record(text, flatten).tasks, {
        "II.1": {"lead": ["Báo An Bình điện tử"]}, "II.2": {"lead": ["Sở Tài chính"]}, "II.3": {"lead": []}})


# ------------------------- M5: a Quy chế attached to its decision, in three more layouts
_ENACTING = (
    "ỦY BAN NHÂN DÂN\nTỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 61/QĐ-UBND\nAn Bình, ngày 02 tháng 3 năm 2026\nQUYẾT ĐỊNH\n"
    "Ban hành Quy chế phối hợp giữa Công an tỉnh và Sở Xây dựng trong quản lý trật tự xây dựng\n"
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCăn cứ Luật Xây dựng ngày 18 tháng 6 năm 2014;\nQUYẾT ĐỊNH:\n"
    "Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp giữa Công an tỉnh và Sở Xây dựng.\n"
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
    "Điều 3. Giám đốc Công an tỉnh, Giám đốc Sở Xây dựng chịu trách nhiệm thi hành Quyết định này./.\n"
    "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n"
)
_SIGNED_FOR = "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Văn Tâm\n"
_REGULATION = (
    "{kind}\n{title}\n(Ban hành kèm theo Quyết định số 61/QĐ-UBND ngày 02 tháng 3 năm 2026)\n"
    "Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\nQuy chế này quy định nội dung phối hợp.\n"
    "Chương II\nNỘI DUNG PHỐI HỢP\n"
    "Điều 2. Nội dung Công an tỉnh có trách nhiệm chủ trì\n"
    "1. Phát hiện các công trình xây dựng trái phép.\n2. Xử lý các vi phạm về trật tự xây dựng.\n"
    "Điều 3. Nội dung Sở Xây dựng có trách nhiệm chủ trì\n"
    "1. Kiểm tra giấy phép xây dựng.\n2. Cung cấp thông tin về các vi phạm cho Công an tỉnh.\n"
)
_REGULATION_TASKS = {
    "II.2.1": {"lead": ["Công an tỉnh"]}, "II.2.2": {"lead": ["Công an tỉnh"]},
    "II.3.1": {"lead": ["Sở Xây dựng"]}, "II.3.2": {"lead": ["Sở Xây dựng"]},
}
_CAPS_TITLE = "PHỐI HỢP GIỮA CÔNG AN TỈNH VÀ SỞ XÂY DỰNG TRONG QUẢN LÝ TRẬT TỰ XÂY DỰNG"
_SENTENCE_TITLE = "Phối hợp giữa Công an tỉnh và Sở Xây dựng trong quản lý trật tự xây dựng"


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("title", [_CAPS_TITLE, _SENTENCE_TITLE])
def test_a_regulation_under_its_repeated_issuer_line(title, flatten):
    text = _ENACTING + _SIGNED_FOR + _REGULATION.format(kind="ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nQUY CHẾ", title=title)
    assert_tasks(valid_record(text, flatten).tasks, _REGULATION_TASKS)


@pytest.mark.parametrize("flatten", [False, True])
def test_a_regulation_with_a_sentence_case_title(flatten):
    text = _ENACTING + _SIGNED_FOR + _REGULATION.format(kind="QUY CHẾ", title=_SENTENCE_TITLE)
    record = valid_record(text, flatten)
    assert_tasks(record.tasks, _REGULATION_TASKS)
    assert [s.path for s in record.sections][:1] == ["I"]


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("name", ["Trần Văn Bình", "Trần Văn B", None])  # (an initial; a name lost to the stamp)
def test_a_regulation_after_a_decision_signed_by_the_chairman_himself(name, flatten):
    text = _ENACTING + "CHỦ TỊCH\n" + (name + "\n" if name else "") \
        + _REGULATION.format(kind="QUY CHẾ", title=_CAPS_TITLE)
    record = valid_record(text, flatten)
    assert_tasks(record.tasks, _REGULATION_TASKS)
    assert record.recipients == ["Như Điều 3", "Lưu: VT"]
    # (folded, a name ending in an initial before the caps kind is read without it: "Trần Văn")
    assert record.signature["name"] == (name if not (flatten and name == "Trần Văn B") else "Trần Văn")


# ------------------------- S1: a decision's assigning articles: unique paths, no designation
_TEAM = (
    "ỦY BAN NHÂN DÂN\nTỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 77/QĐ-UBND\nAn Bình, ngày 9 tháng 3 năm 2026\nQUYẾT ĐỊNH\nVề việc thành lập Tổ công tác cải cách hành chính\n"
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n"
    "QUYẾT ĐỊNH:\nĐiều 1. Thành lập Tổ công tác cải cách hành chính tỉnh An Bình.\n"
    "Điều 2. Giao Văn phòng Ủy ban nhân dân tỉnh là cơ quan thường trực của Tổ công tác.\n"
    "{more}"
    "Điều 5. Quyết định này có hiệu lực kể từ ngày ký./.\nNơi nhận:\n- Như Điều 5;\n- Lưu: VT.\n"
    "CHỦ TỊCH\nTrần Văn Bình\n"
)


@pytest.mark.parametrize("flatten", [False, True])
def test_assigning_articles_have_their_number_and_a_designation_is_no_task(flatten):
    text = _TEAM.format(more="Điều 3. Giao Sở Tài chính bố trí kinh phí hoạt động của Tổ công tác.\n"
                             "Điều 4. Giao Sở Nội vụ hướng dẫn các địa phương thực hiện.\n")
    tasks = valid_record(text, flatten).tasks
    assert [(t.path, t.lead) for t in tasks] == [("3", ["Sở Tài chính"]), ("4", ["Sở Nội vụ"])]


@pytest.mark.parametrize("flatten", [False, True])
def test_one_assigning_article_is_the_records_one_task(flatten):
    text = _TEAM.format(more="Điều 3. Giao Sở Tài chính bố trí kinh phí hoạt động của Tổ công tác.\n")
    assert [(t.path, t.lead) for t in valid_record(text, flatten).tasks] == [("", ["Sở Tài chính"])]


# ------------------------- second review of round 10
# M1: a slogan or title that closes within its item keeps its dash and its own numbers (folded text)
@pytest.mark.parametrize("flatten", [False, True])
def test_a_closed_slogan_keeps_its_dash_and_its_own_numbers(flatten):
    text = (_UBND_LETTER
            + "1. Sở Nội vụ tham mưu phát động phong trào “Thi đua yêu nước - Hướng tới kỷ niệm 80 năm "
            "Ngày thành lập tỉnh” trước ngày 15 tháng 11 năm 2026.\n"
            "2. Sở Văn hóa, Thể thao và Du lịch tổ chức lễ phát động với chủ đề “Năm 2026: 1. Chung tay vì "
            "thực phẩm an toàn; 2. Vì sức khỏe cộng đồng” tại Quảng trường tỉnh.\n"
            "3. Sở Tài chính bố trí kinh phí khen thưởng.\n" + _END)
    tasks = valid_record(text, flatten).tasks
    assert_tasks(tasks, {
        "1": {"lead": ["Sở Nội vụ"], "timeframe": "trước ngày 15 tháng 11 năm 2026"},
        "2": {"lead": ["Sở Văn hóa, Thể thao và Du lịch"]},
        "3": {"lead": ["Sở Tài chính"]},
    })
    assert [t.path for t in tasks] == ["1", "2", "3"]
    assert "yêu nước - Hướng tới" in tasks[0].title
    assert "2. Vì sức khỏe cộng đồng”" in tasks[1].title  # (the title does not end inside the quote)


# M2: "Giao X là cơ quan chủ trì, có trách nhiệm …" charges it with work; a bare role does not
@pytest.mark.parametrize("flatten", [False, True])
def test_an_article_naming_a_role_and_its_work_is_a_task(flatten):
    text = _TEAM.format(more="Điều 3. Giao Sở Văn hóa, Thể thao và Du lịch là cơ quan chủ trì, có trách nhiệm "
                             "hướng dẫn, đôn đốc các địa phương triển khai; định kỳ trước ngày 15 tháng 12 "
                             "hằng năm báo cáo Ủy ban nhân dân tỉnh.\n")
    assert_tasks(valid_record(text, flatten).tasks, {
        "": {"lead": ["Sở Văn hóa, Thể thao và Du lịch"], "timeframe": "trước ngày 15 tháng 12 hằng năm"},
    })


# S1: a Điều 1 duty that cites another act's article runs on past it to the decision's next article
@pytest.mark.parametrize("flatten", [False, True])
def test_a_duty_citing_an_article_is_not_cut_there(flatten):
    text = (_APPROVAL + "3. Tổ chức thực hiện:\na) Sở Văn hóa, Thể thao và Du lịch chủ trì, thực hiện nhiệm vụ "
            "của cơ quan thường trực quy định tại\nĐiều 4. Quy chế hoạt động của Ban Chỉ đạo du lịch tỉnh.\n"
            "b) Sở Tài chính bố trí kinh phí thực hiện.\n" + _LATER_ARTICLES)
    duties = {d.path: (d.agency, d.text) for d in valid_record(text, flatten).duties}
    assert duties == {
        "3.a": ("Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch chủ trì, thực hiện nhiệm vụ của cơ "
                "quan thường trực quy định tại Điều 4. Quy chế hoạt động của Ban Chỉ đạo du lịch tỉnh."),
        "3.b": ("Sở Tài chính", "Sở Tài chính bố trí kinh phí thực hiện.")}


# S2: a plan's implementation item "Giao X làm đầu mối, …" / "Giao X là cơ quan đầu mối về …" names X
_REFORM_PLAN = (
    "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 88/KH-UBND\nAn Bình, ngày 5 tháng 1 năm 2027\nKẾ HOẠCH\nCải cách hành chính năm 2027\n"
    "I. MỤC ĐÍCH, YÊU CẦU\nNâng cao chỉ số cải cách hành chính của tỉnh.\nII. NHIỆM VỤ\n"
    "1. Rà soát văn bản quy phạm pháp luật.\nCơ quan chủ trì: Sở Tư pháp. Thời gian: cả năm.\n"
    "III. TỔ CHỨC THỰC HIỆN\n"
    "1. Giao Sở Nội vụ là cơ quan thường trực, chủ trì theo dõi, đôn đốc việc thực hiện Kế hoạch.\n"
    "2. Giao Sở Tài chính làm đầu mối, bố trí kinh phí thực hiện Kế hoạch.\n"
    "3. Giao Văn phòng Ủy ban nhân dân tỉnh là cơ quan đầu mối về kiểm soát thủ tục hành chính.\n"
    "4. Các sở, ban, ngành và Ủy ban nhân dân các huyện xây dựng kế hoạch của đơn vị.\n"
    "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn D\n"
)


@pytest.mark.parametrize("flatten", [False, True])
def test_implementation_items_giving_a_body_its_role_name_it(flatten):
    duties = [(d.path, d.agency) for d in valid_record(_REFORM_PLAN, flatten).duties]
    assert duties == [("III.1", "Sở Nội vụ"), ("III.2", "Sở Tài chính"), ("III.3", "Văn phòng Ủy ban nhân dân tỉnh"),
                      # (a numbered item that opens with its bodies and their verb names them, as a lettered one)
                      ("III.4", "Các sở, ban, ngành"), ("III.4", "Ủy ban nhân dân các huyện")]


# S6: a label whose first word reads as a head ("Quy mô:", folded "Quỹ") names no body
@pytest.mark.parametrize("flatten", [False, True])
def test_a_label_is_no_lead(flatten):
    text = _REFORM_PLAN.replace("1. Rà soát văn bản quy phạm pháp luật.\nCơ quan chủ trì: Sở Tư pháp. Thời gian: cả năm.\n",
                                "1. Quy mô: Hội nghị sẽ có khoảng 300 đại biểu.\n"
                                "2. Sở Tư pháp sẽ rà soát văn bản quy phạm pháp luật.\n")
    assert_tasks(valid_record(text, flatten).tasks, {"II.1": {"lead": []}, "II.2": {"lead": ["Sở Tư pháp"]}})
