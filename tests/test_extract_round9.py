"""extract, issue 13 round 9: the misses left after round 8, each shown on a small made-up text of
the same shape (not the evaluation texts), as written and folded to one line."""

from __future__ import annotations

import pytest

from tests.support.records import valid_record

_HEAD = (
    "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 45/KH-UBND\nAn Bình, ngày 12 tháng 3 năm 2025\n"
    "KẾ HOẠCH\nBảo đảm an ninh trật tự dịp Tết Nguyên đán năm 2026\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n1. Bảo đảm an ninh trật tự trên địa bàn tỉnh.\n"
)
_END = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"


def _plan_tasks(items: str, flatten: bool) -> dict:
    record = valid_record(_HEAD + "II. NHIỆM VỤ VÀ GIẢI PHÁP\n" + items + _END, flatten)
    return {t.path: t for t in record.tasks}


# ------------------------- a function word after a complete name is its verb ("quản lý")
@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("item, lead, partners", [
    ("Công an tỉnh quản lý chặt chẽ các đối tượng có nguy cơ gây rối; phối hợp với Bộ Chỉ huy Quân sự "
     "tỉnh tổ chức tuần tra.", ["Công an tỉnh"], ["Bộ Chỉ huy Quân sự tỉnh"]),
    ("Cục Thuế tỉnh quản lý thu ngân sách trên địa bàn.", ["Cục Thuế tỉnh"], []),
    ("UBND các xã quản lý chặt chẽ trật tự xây dựng trên địa bàn.", ["UBND các xã"], []),
    ("Sở Y tế quản lý các cơ sở khám bệnh, chữa bệnh tư nhân.", ["Sở Y tế"], []),
    ("Ủy ban nhân dân huyện Phú Lộc quản lý chặt chẽ việc bắn pháo hoa.", ["Ủy ban nhân dân huyện Phú Lộc"], []),
    ("Ban Quản lý các khu công nghiệp quản lý chặt chẽ lao động nước ngoài.",
     ["Ban Quản lý các khu công nghiệp"], []),
    # a generic body named with its function keeps it
    ("Các đơn vị quản lý đường bộ khu vực tăng cường tuần đường.", ["Các đơn vị quản lý đường bộ khu vực"], []),
    ("Các cơ quan quản lý cấp trên chỉ đạo rà soát tài sản công.", ["Các cơ quan quản lý cấp trên"], []),
])
def test_function_word_after_a_complete_name_is_the_verb(item, lead, partners, flatten):
    task = _plan_tasks("1. " + item + "\n2. Sở Công Thương kiểm tra thị trường.\n", flatten)["II.1"]
    assert (task.lead, task.partners) == (lead, partners)


# ------------------------- any verb after a particular body ends it ("Sở Y tế | chăm lo …")
@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("item, lead, partners", [
    ("Sở Y tế chăm lo sức khỏe cho người dân vùng lũ; phối hợp với Công an tỉnh kiểm tra an toàn thực phẩm.",
     ["Sở Y tế"], ["Công an tỉnh"]),
    ("Sở Nội vụ soạn thảo quy chế thi đua, phối hợp Sở Tư pháp thẩm định.", ["Sở Nội vụ"], ["Sở Tư pháp"]),
    ("Ủy ban nhân dân huyện Phú Lộc vận động nhân dân dọn vệ sinh môi trường.",
     ["Ủy ban nhân dân huyện Phú Lộc"], []),
    ("Bộ Chỉ huy Quân sự tỉnh sẵn sàng lực lượng ứng cứu.", ["Bộ Chỉ huy Quân sự tỉnh"], []),
    # a proper name written whole: the lower-case word after it is no syllable of its last word
    ("Báo An Bình đưa tin kịp thời về công tác cứu hộ.", ["Báo An Bình"], []),
    # two bodies joined by "và" stay two
    ("Sở Tài chính và Kho bạc Nhà nước tỉnh bảo đảm kinh phí.", ["Sở Tài chính", "Kho bạc Nhà nước tỉnh"], []),
    ("Bộ trưởng Bộ Xây dựng chỉ đạo rà soát các công trình.", ["Bộ trưởng Bộ Xây dựng"], []),
    # background: what a body did or issued charges it with nothing
    ("Tổ chức tiêm chủng mở rộng. Sở Y tế đã hoàn thành đợt một.", [], []),
    ("Tổ chức phổ biến văn bản mới. Thủ tướng Chính phủ ban hành Quyết định số 10/2025/QĐ-TTg.", [], []),
])
def test_a_particular_body_ends_at_its_verb(item, lead, partners, flatten):
    task = _plan_tasks("1. " + item + "\n2. Sở Công Thương kiểm tra thị trường.\n", flatten)["II.1"]
    assert (task.lead, task.partners) == (lead, partners)


_LETTER_HEAD = (
    "ỦY BAN NHÂN DÂN\nTỈNH AN BÌNH\nSố: 460/UBND-KT\nV/v ứng phó với bão số 5\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nAn Bình, ngày 12 tháng 9 năm 2025\n"
    "Kính gửi:\n- Các sở, ban, ngành tỉnh;\n- Ủy ban nhân dân các xã, phường.\n"
    "Để chủ động ứng phó với bão số 5, Ủy ban nhân dân tỉnh yêu cầu:\n"
)


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("item, lead", [
    ("Sở Y tế chăm lo sức khỏe cho người dân vùng bão.", ["Sở Y tế"]),
    ("Công an tỉnh quản lý chặt chẽ các khu vực sơ tán dân.", ["Công an tỉnh"]),
    # a name that ends in a head word goes on ("Văn phòng Ban chỉ đạo"), a name's place stays
    ("Chánh Văn phòng Ban chỉ đạo phòng thủ dân sự tỉnh tổng hợp, báo cáo tình hình.",
     ["Chánh Văn phòng Ban chỉ đạo phòng thủ dân sự tỉnh"]),
    ("Mặt trận Tổ quốc Việt Nam tại địa phương vận động nhân dân giúp đỡ người dân vùng bão.",
     ["Mặt trận Tổ quốc Việt Nam tại địa phương"]),
])
def test_a_letters_item_opening_with_a_particular_body(item, lead, flatten):
    record = valid_record(_LETTER_HEAD + "1. " + item + "\n2. Sở Tài chính bố trí kinh phí.\n" + _END, flatten)
    assert {t.path: t.lead for t in record.tasks}["1"] == lead


# ------------------------- a decision enacting a regulation in chapters, articles and clauses
_REGULATION = (
    "ỦY BAN NHÂN DÂN\nTỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 12/2025/QĐ-UBND\nAn Bình, ngày 5 tháng 6 năm 2025\nQUYẾT ĐỊNH\n"
    "Ban hành Quy chế phối hợp quản lý hoạt động khai thác cát trên địa bàn tỉnh An Bình\n"
    "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\n"
    "Căn cứ Luật Khoáng sản số 60/2010/QH12;\n"
    "Theo đề nghị của Giám đốc Sở Nông nghiệp và Môi trường tại Tờ trình số 88/TTr-SNNMT;\n"
    "QUYẾT ĐỊNH:\n"
    "Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp quản lý hoạt động khai thác cát.\n"
    "Điều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 6 năm 2025.\n"
    "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Thủ trưởng các sở, ngành chịu trách nhiệm thi hành "
    "Quyết định này./.\n"
    "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Văn Tâm\n"
    "QUY CHẾ\nPHỐI HỢP QUẢN LÝ HOẠT ĐỘNG KHAI THÁC CÁT TRÊN ĐỊA BÀN TỈNH AN BÌNH\n"
    "(Ban hành kèm theo Quyết định số 12/2025/QĐ-UBND ngày 5 tháng 6 năm 2025)\n"
    "Chương I\nQUY ĐỊNH CHUNG\n"
    "Điều 1. Phạm vi điều chỉnh\n"
    "1. Quy chế này quy định việc phối hợp quản lý hoạt động khai thác cát lòng sông.\n"
    "2. Quy chế này áp dụng đối với các cơ quan, đơn vị có liên quan.\n"
    "Điều 2. Nguyên tắc phối hợp\n"
    "Việc phối hợp bảo đảm kịp thời, đúng thẩm quyền.\n"
    "Chương II\nNỘI DUNG PHỐI HỢP\n"
    "Điều 3. Trách nhiệm chung\n"
    "1. Trao đổi thông tin về các điểm khai thác cát trái phép.\n"
    "2. Kiểm tra liên ngành các mỏ cát đã được cấp phép.\n"
    "Điều 4. Nội dung Sở Nông nghiệp và Môi trường có trách nhiệm chủ trì\n"
    "1. Thẩm định hồ sơ cấp phép khai thác cát.\n"
    "2. Theo dõi sản lượng khai thác của từng mỏ.\n"
    "Điều 5. Nội dung Công an tỉnh có trách nhiệm chủ trì\n"
    "Phát hiện, xử lý các phương tiện khai thác cát trái phép trên sông. Phối hợp kiểm tra khi có yêu cầu.\n"
    "Điều 6. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh\n"
    "1. Vận động Nhân dân tố giác hành vi khai thác cát trái phép.\n"
    "Chương III\nTỔ CHỨC THỰC HIỆN\n"
    "Điều 7. Trách nhiệm của Sở Nông nghiệp và Môi trường\n"
    "Sở Nông nghiệp và Môi trường là cơ quan thường trực, theo dõi việc thực hiện Quy chế này.\n"
    "Điều 8. Trách nhiệm của các cơ quan, đơn vị\n"
    "Các cơ quan, đơn vị có trách nhiệm thực hiện Quy chế này.\n"
)


@pytest.mark.parametrize("flatten", [False, True])
def test_a_regulations_chapters_articles_and_clauses(flatten):
    record = valid_record(_REGULATION, flatten)
    got = {t.path: (t.title, t.lead) for t in record.tasks}
    assert got == {
        "II.3.1": ("Trao đổi thông tin về các điểm khai thác cát trái phép.", []),
        "II.3.2": ("Kiểm tra liên ngành các mỏ cát đã được cấp phép.", []),
        "II.4.1": ("Thẩm định hồ sơ cấp phép khai thác cát.", ["Sở Nông nghiệp và Môi trường"]),
        "II.4.2": ("Theo dõi sản lượng khai thác của từng mỏ.", ["Sở Nông nghiệp và Môi trường"]),
        "II.5": ("Phát hiện, xử lý các phương tiện khai thác cát trái phép trên sông.", ["Công an tỉnh"]),
        "II.6.1": ("Vận động Nhân dân tố giác hành vi khai thác cát trái phép.",
                   ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]),
    }
    # "TỔ CHỨC THỰC HIỆN": one implementation item per article, its heading first, with its duty
    assert record.implementation == ["Trách nhiệm của Sở Nông nghiệp và Môi trường",
                                     "Trách nhiệm của các cơ quan, đơn vị"]
    assert [(d.agency, d.path) for d in record.duties] == [("Sở Nông nghiệp và Môi trường", "III.7"),
                                                           ("các cơ quan, đơn vị", "III.8")]
    assert record.document["type"] == "Quyết định" and record.document["number"] == "12/2025/QĐ-UBND"
    assert record.document["attachment"]["type"] == "Quy chế"


def test_a_decisions_own_articles_are_no_regulation():
    # articles without chapters are the decision's own: no plan levels, no tasks from them
    from vanban.extract.layout import Para
    from vanban.extract.structure import regulation_levels
    paras = [Para("Điều 1. Ban hành Quy chế.", body="Điều 1. Ban hành Quy chế."),
             Para("Điều 2. Quyết định này có hiệu lực.", body="Điều 2. Quyết định này có hiệu lực.")]
    assert regulation_levels(paras) == paras and all(p.style is None for p in paras)


# ------------------------- a letter's "V/v" abstract makes it a Công văn, whatever its number's code
@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("number, kind_line, kind", [
    ("812/CT-NVT", "", "Công văn"),          # CT names a tax office here, not a Chỉ thị
    ("45/TB-VP", "", "Công văn"),
    ("07/CT-UBND", "CHỈ THỊ\n", "Chỉ thị"),  # a kind line names the kind
])
def test_vv_abstract_without_kind_line_is_a_letter(number, kind_line, kind, flatten):
    text = ("BỘ TÀI CHÍNH\nCỤC THUẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            f"Số: {number}\n" + ("V/v hoàn thuế giá trị gia tăng\n" if not kind_line else "")
            + "Hà Nội, ngày 3 tháng 10 năm 2025\n" + kind_line
            + ("Về tăng cường quản lý thuế\n" if kind_line else "Kính gửi: Công ty TNHH Minh An\n")
            + "Cục Thuế nhận được văn bản của Công ty hỏi về hoàn thuế. Về vấn đề này, Cục Thuế có ý kiến "
              "như sau: Công ty thực hiện theo quy định tại Thông tư số 80/2021/TT-BTC.\n" + _END)
    assert valid_record(text, flatten).document["type"] == kind


# ------------------------- abstracts: a kind line run on into the body; a "Về …" abstract of a letter
def test_kind_line_run_on_into_its_preamble_gives_its_title():
    text = ("ỦY BAN NHÂN DÂN\nTỈNH AN BÌNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
            "Số: 318/QĐ-UBND An Bình, ngày 9 tháng 10 năm 2025\n"
            "QUYẾT ĐỊNH VỀ VIỆC PHÊ DUYỆT GIÁ CÂY TRỒNG ĐỂ TÍNH BỒI THƯỜNG NĂM 2025 ỦY BAN NHÂN DÂN TỈNH "
            "AN BÌNH Căn cứ Luật Đất đai số 31/2024/QH15; Theo đề nghị của Sở Tài chính tại Tờ trình số "
            "77/TTr-STC; QUYẾT ĐỊNH: Điều 1. Phê duyệt giá cây trồng để tính bồi thường năm 2025. "
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.\n" + _END)
    record = valid_record(text)
    assert record.document["title"] == "Về việc phê duyệt giá cây trồng để tính bồi thường năm 2025"
    assert record.legal_bases == ["31/2024/QH15", "77/TTr-STC"]


@pytest.mark.parametrize("flatten", [False, True])
def test_a_letters_ve_abstract_between_number_and_date(flatten):
    text = ("ỦY BAN NHÂN DÂN TỈNH AN BÌNH SỞ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc Số: 2210/SYT-NVY\n"
            "Về hướng dẫn tiêm chủng vắc xin sởi năm 2025\n"
            "An Bình, ngày 2 tháng 10 năm 2025\nKính gửi: Các bệnh viện trong tỉnh\n"
            "Căn cứ Thông tư số 10/2024/TT-BYT; Sở Y tế đề nghị các bệnh viện tổ chức tiêm chủng trước "
            "ngày 30/11/2025.\n" + _END)
    record = valid_record(text, flatten)
    assert record.document["title"] == "Về hướng dẫn tiêm chủng vắc xin sởi năm 2025"
    assert record.document["type"] == "Công văn"


# ------------------------- an answer letter: the sender's sentence after "Kính gửi", quoted law, provisions
_ANSWER = (
    "BỘ TÀI CHÍNH CỤC HẢI QUAN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
    "Số: 4410/CHQ-GSQL V/v thủ tục tạm nhập tái xuất Hà Nội, ngày 7 tháng 10 năm 2025 "
    "Kính gửi: Hải quan khu vực III Cục Hải quan nhận được Công văn số 812/HQKV3-NV ngày 1/9/2025 của "
    "Hải quan khu vực III về thủ tục tạm nhập tái xuất. Về vấn đề này, Cục Hải quan có ý kiến như sau: "
    "- Khoản 2 Điều 13 Nghị định số 69/2018/NĐ-CP của Chính phủ quy định: “Điều 13. Tạm nhập, tái xuất "
    "1. Thương nhân được tạm nhập hàng hóa. 2. Hàng hóa tạm nhập phải tái xuất đúng thời hạn.” "
    "- Căn cứ Thông tư số 38/2015/TT-BTC của Bộ Tài chính. "
    "1. Về thời hạn tái xuất: Hải quan khu vực III hướng dẫn doanh nghiệp tái xuất trong thời hạn quy định. "
    "2. Về hồ sơ: Hải quan khu vực III kiểm tra hồ sơ theo quy định. "
    "Cục Hải quan trả lời để Hải quan khu vực III biết./. Nơi nhận: - Như trên; - Lưu: VT. "
    "KT. CỤC TRƯỞNG PHÓ CỤC TRƯỞNG Trần Văn Bình"
)


def test_answer_letter_quote_provisions_and_sender():
    record = valid_record(_ANSWER)
    # the addressee ends where the sender's sentence starts ("Cục Hải quan nhận được …")
    assert record.document["addressees"] == ["Hải quan khu vực III"]
    # the letter answered and the provisions quoted before item 1 are its bases
    assert record.legal_bases == ["812/HQKV3-NV", "69/2018/NĐ-CP", "38/2015/TT-BTC"]
    # the quoted law's "1.", "2." are no items of the letter
    assert [t.path for t in record.tasks] == ["1", "2"]
    assert [t.title for t in record.tasks] == ["Về thời hạn tái xuất:", "Về hồ sơ:"]


# ------------------------- a decision's article that charges a named body in one sentence
@pytest.mark.parametrize("flatten", [False, True])
def test_a_decisions_assigning_article_is_one_task(flatten):
    text = ("ỦY BAN NHÂN DÂN\nTỈNH AN BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 902/QĐ-UBND\nAn Bình, ngày 4 tháng 11 năm 2025\nQUYẾT ĐỊNH\n"
            "Về việc phê duyệt giá cước vận chuyển hành khách bằng xe buýt năm 2026\n"
            "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nCăn cứ Luật Giá số 16/2023/QH15;\nQUYẾT ĐỊNH:\n"
            "Điều 1. Phê duyệt giá cước vận chuyển hành khách bằng xe buýt năm 2026 theo phụ lục kèm theo.\n"
            "Điều 2. Giao Sở Xây dựng căn cứ giá cước được phê duyệt tại Điều 1 để hướng dẫn các doanh "
            "nghiệp vận tải niêm yết giá.\n"
            "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Xây dựng chịu trách nhiệm thi hành "
            "Quyết định này./.\n" + _END)
    record = valid_record(text, flatten)
    assert [(t.path, t.lead) for t in record.tasks] == [("", ["Sở Xây dựng"])]
    assert record.tasks[0].title.startswith("Giao Sở Xây dựng căn cứ giá cước")


# ------------------------- an answer that refers the asker to the law assigns no work
@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("request_, tasks", [
    ("Đề nghị Công ty căn cứ quy định tại Điều 13 Nghị định số 69/2018/NĐ-CP và tình hình thực tế của "
     "Công ty để thực hiện.", 0),
    ("Đề nghị Công ty thực hiện theo quy định tại Thông tư số 38/2015/TT-BTC.", 0),
])
def test_a_referral_to_the_law_is_no_task(request_, tasks, flatten):
    assert len(valid_record(_referral_letter(request_), flatten).tasks) == tasks


def test_a_request_that_charges_work_stays_a_task():
    # (as written; folded, such a one-line request after "… như sau:" is not read, before this round too)
    text = _referral_letter("Đề nghị Công ty rà soát hồ sơ, nộp bổ sung chứng từ trước ngày 30/10/2025.")
    assert [t.lead for t in valid_record(text).tasks] == [["Công ty"]]


def _referral_letter(request_: str) -> str:
    return ("BỘ TÀI CHÍNH\nCỤC HẢI QUAN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 4511/CHQ-GSQL\nV/v hàng hóa tạm nhập tái xuất\nHà Nội, ngày 7 tháng 10 năm 2025\n"
            "Kính gửi: Công ty TNHH Minh An\n"
            "Trả lời công văn số 15/MA ngày 1/10/2025 của Công ty TNHH Minh An, Cục Hải quan có ý kiến như sau:\n"
            + request_ + "\nCục Hải quan trả lời để Công ty TNHH Minh An biết, thực hiện./.\n" + _END)


# ------------------------- an answer without numbered items: what the answer cites is no basis
@pytest.mark.parametrize("flatten", [False, True])
def test_an_answers_citations_are_no_bases(flatten):
    text = _referral_letter("Theo quy định tại Điều 61 Luật Hải quan số 54/2014/QH13 và Điều 91 Thông tư số "
                            "38/2015/TT-BTC, hàng hóa gửi kho ngoại quan được đưa ra nước ngoài.")
    record = valid_record(text, flatten)
    # the letter answered, before "… có ý kiến như sau:", is the basis; the laws of the answer are not
    assert record.legal_bases == ["15/MA"]
    assert {"54/2014/QH13", "38/2015/TT-BTC"} <= {r.number for r in record.references}


# ------------------------- the issuer speaking in a list's intro, compared with the record's own issuer
def _intro_letter(issuer_lines: str, intro: str) -> str:
    return (issuer_lines + "\nSố: 77/UBND-VP\nV/v bình ổn giá dịp Tết\n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nAn Bình, ngày 2 tháng 1 năm 2026\n"
            "Kính gửi: Các đơn vị liên quan.\n" + intro +
            "\n1. Kiểm tra việc niêm yết giá tại các chợ.\n2. Xử lý nghiêm hành vi đầu cơ hàng hóa.\n" + _END)


@pytest.mark.parametrize("flatten", [False, True])
@pytest.mark.parametrize("issuer_lines, intro, lead", [
    # a commune's own letter: its bare name is the issuer speaking
    ("ỦY BAN NHÂN DÂN\nXÃ PHÚ MỸ", "Ủy ban nhân dân xã chỉ đạo các thôn thực hiện các nội dung sau:", []),
    # the province's letter: the commune's committee is an addressee
    ("ỦY BAN NHÂN DÂN\nTỈNH AN BÌNH", "Ủy ban nhân dân xã chỉ đạo các thôn thực hiện các nội dung sau:",
     ["Ủy ban nhân dân xã"]),
    # the province's letter, the province speaking (without its place, or its chairman)
    ("ỦY BAN NHÂN DÂN\nTỈNH AN BÌNH", "UBND tỉnh chỉ đạo các sở, ngành thực hiện các nội dung sau:", []),
    ("ỦY BAN NHÂN DÂN\nTỈNH AN BÌNH", "Chủ tịch Ủy ban nhân dân tỉnh An Bình yêu cầu thực hiện các nội dung sau:",
     []),
    # a department's letter retelling what the province directs: the province is no speaker here
    ("ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nSỞ CÔNG THƯƠNG",
     "UBND tỉnh chỉ đạo các sở, ngành thực hiện các nội dung sau:", ["UBND tỉnh"]),
])
def test_the_issuer_speaking_is_the_records_own(issuer_lines, intro, lead, flatten):
    record = valid_record(_intro_letter(issuer_lines, intro), flatten)
    assert [t.lead for t in record.tasks] == [lead, lead]


# ------------------------- a decision that approves a plan with its terms in Điều 1
_TERMS_IN_ARTICLE_ONE = """ỦY BAN NHÂN DÂN
TỈNH AN BÌNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 1204/QĐ-UBND
An Bình, ngày 8 tháng 5 năm 2025
QUYẾT ĐỊNH
Phê duyệt Kế hoạch phát triển du lịch nông thôn tỉnh An Bình năm 2025
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN BÌNH
Căn cứ Luật Du lịch số 09/2017/QH14;
Xét đề nghị của Giám đốc Sở Văn hóa, Thể thao và Du lịch tại Tờ trình số 55/TTr-SVHTTDL;
QUYẾT ĐỊNH:
Điều 1. Phê duyệt Kế hoạch phát triển du lịch nông thôn tỉnh An Bình năm 2025 với những nội dung chủ yếu sau:
1. Mục đích, yêu cầu
a) Phát huy tiềm năng du lịch nông thôn của các xã.
b) Bảo đảm sự phối hợp chặt chẽ giữa các cơ quan.
2. Nhiệm vụ, giải pháp
a) Xây dựng 05 sản phẩm du lịch nông thôn đặc trưng.
b) Tổ chức lớp bồi dưỡng kỹ năng làm du lịch cho hộ dân.
c) Quảng bá điểm đến trên các nền tảng số.
3. Tổ chức thực hiện
a) Sở Văn hóa, Thể thao và Du lịch chủ trì, theo dõi việc thực hiện Kế hoạch.
b) Sở Tài chính bố trí kinh phí thực hiện.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở chịu trách nhiệm thi hành Quyết định này./.
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
"""


@pytest.mark.parametrize("flatten", [False, True])
def test_a_decisions_terms_in_article_one(flatten):
    record = valid_record(_TERMS_IN_ARTICLE_ONE, flatten)
    # the numbered task term, with no numbered item below it, is one task (its lettered parts its text)
    assert [(t.path, t.title) for t in record.tasks] == [("2", "Nhiệm vụ, giải pháp")]
    assert record.purposes == ["Phát huy tiềm năng du lịch nông thôn của các xã.",
                               "Bảo đảm sự phối hợp chặt chẽ giữa các cơ quan."]
    # "3. Tổ chức thực hiện" lists its duties lettered: one implementation item each
    assert record.implementation == ["Sở Văn hóa, Thể thao và Du lịch chủ trì, theo dõi việc thực hiện Kế hoạch.",
                                     "Sở Tài chính bố trí kinh phí thực hiện."]
    assert [(d.agency, d.path) for d in record.duties] == [("Sở Văn hóa, Thể thao và Du lịch", "3.a"),
                                                           ("Sở Tài chính", "3.b")]


def test_title_case_from_a_body_line_that_goes_on_a_wrapped_sentence():
    # "Hệ thống" opens a text only because the sentence wrapped there: its capital is the name's
    from vanban.extract.header import restore_title_case
    body = ["Điều 1. Ban hành kèm theo Quyết định này Quy chế vận hành",
            "Hệ thống thư điện tử tỉnh An Bình.", "Điều 2. Quyết định này có hiệu lực kể từ ngày ký."]
    title = restore_title_case("BAN HÀNH QUY CHẾ VẬN HÀNH HỆ THỐNG THƯ ĐIỆN TỬ TỈNH AN BÌNH", body)
    assert title == "Ban hành Quy chế vận hành Hệ thống thư điện tử tỉnh An Bình"
    # a text after a finished sentence still starts one: its first word tells no case
    body[0] = "Điều 1. Ban hành kèm theo Quyết định này Quy chế vận hành."
    title = restore_title_case("BAN HÀNH QUY CHẾ VẬN HÀNH HỆ THỐNG THƯ ĐIỆN TỬ TỈNH AN BÌNH", body)
    assert title == "Ban hành Quy chế vận hành hệ thống thư điện tử tỉnh An Bình"


def test_an_acronym_nowhere_in_the_body_keeps_its_capitals_in_the_title():
    from vanban.extract.header import restore_title_case
    body = ["Cục Thuế có kế hoạch tạm dừng ứng dụng TMS để chuyển đổi máy chủ."]
    title = restore_title_case("KẾ HOẠCH CHUYỂN ĐỔI MÁY CHỦ VÀ LƯU TRỮ CSDL ỨNG DỤNG TMS", body)
    assert title == "Kế hoạch chuyển đổi máy chủ và lưu trữ CSDL ứng dụng TMS"


@pytest.mark.parametrize("flatten", [False, True])
def test_han_cuoi_names_a_deadline(flatten):
    text = _referral_letter("Đề nghị Công ty nộp bổ sung chứng từ về Hải quan khu vực III, hạn cuối ngày 30 tháng "
                            "10 năm 2025 (không gửi bản giấy).")
    if flatten:  # (folded, a one-line request after "… như sau:" is not read: see above)
        text = text.replace("như sau:\n", "như sau:\n1. ")
    assert [t.timeframe for t in valid_record(text, flatten).tasks] == ["hạn cuối ngày 30 tháng 10 năm 2025"]


# ------------------------- a sender's polite request: the addressee it names leads
@pytest.mark.parametrize("flatten", [False, True])
def test_a_polite_request_names_the_lead(flatten):
    text = (_LETTER_HEAD.replace("Để chủ động ứng phó với bão số 5, Ủy ban nhân dân tỉnh yêu cầu:\n", "")
            + "1. Sở Y tế trân trọng thông tin để Quý Cơ quan chủ động bố trí lịch tiêm chủng cho cán bộ.\n"
            "2. Lịch tiêm được gửi kèm theo. Để triển khai kịp thời, Sở Y tế kính đề nghị Ủy ban nhân dân "
            "các xã, phường tuyên truyền cho nhân dân trên địa bàn.\n" + _END)
    tasks = {t.path: t.lead for t in valid_record(text, flatten).tasks}
    assert tasks == {"1": ["Quý Cơ quan"], "2": ["Ủy ban nhân dân các xã, phường"]}


@pytest.mark.parametrize("flatten", [False, True])
def test_the_sender_committing_itself_leads_its_answer_item(flatten):
    text = _ANSWER.replace("Hải quan khu vực III hướng dẫn doanh nghiệp tái xuất trong thời hạn quy định.",
                           "Căn cứ các quy định trên, doanh nghiệp tái xuất trong thời hạn quy định. Theo đó, "
                           "Cục Hải quan sẽ cập nhật hướng dẫn trên Cổng thông tin điện tử.")
    text = text.replace("Hải quan khu vực III kiểm tra hồ sơ theo quy định.",
                        "Hiện nay hồ sơ được kiểm tra theo quy định.")
    tasks = {t.path: t.lead for t in valid_record(text, flatten).tasks}
    # the sender's own work to come ("Cục Hải quan sẽ cập nhật …"); an item that states the rules: none
    assert tasks == {"1": ["Cục Hải quan"], "2": []}
