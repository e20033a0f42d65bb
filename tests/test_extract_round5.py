"""extract, issue 13 round 5: failure classes found on the val4 part, each shown on a small
made-up text of the same shape (not the evaluation texts)."""

from __future__ import annotations

import pytest

from vanban.extract import extract_record
from vanban.extract.agencies import split_agencies
from vanban.schema import validate_record


def _tasks(text: str, flatten: bool = False):
    rec = extract_record(" ".join(text.split()) if flatten else text)
    validate_record(rec.to_dict())
    return {t.path: t for t in rec.tasks}


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


@pytest.mark.parametrize("flatten", [False, True])
def test_intro_addressee_ends_at_tu_verb_and_a_bare_head_names_it_back(flatten):
    tasks = _tasks(LETTER_TO_BUSINESSES, flatten)
    whole = ["các hợp tác xã vận tải hành khách trên địa bàn tỉnh"]
    assert tasks["1"].lead == whole          # "tự kiểm tra" ends the addressee
    assert tasks["2"].lead == whole          # "Hợp tác xã thực hiện …" names the addressee back
    assert tasks["3"].lead == whole


@pytest.mark.parametrize("flatten", [False, True])
def test_intro_addressee_without_its_defined_short_name(flatten):
    tasks = _tasks(PLAN_LETTER, flatten)
    assert tasks["1"].lead == ["các trường cao đẳng trực thuộc Bộ"]
    assert tasks["2"].lead == ["các trường cao đẳng trực thuộc Bộ"]


def test_defined_short_name_in_brackets_is_no_part_of_an_agency():
    assert split_agencies("Sở Tài chính (sau đây viết tắt là STC), Sở Y tế") == ["Sở Tài chính", "Sở Y tế"]
    # a role in brackets other than a definition stays as before
    assert split_agencies("Nhà đầu tư (Tập đoàn Đèo Cả)") == ["Nhà đầu tư (Tập đoàn Đèo Cả)"]
