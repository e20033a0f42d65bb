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
