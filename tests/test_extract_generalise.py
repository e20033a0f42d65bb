"""extract, issue 13 round 4: failure classes found on held-out parts, each shown on a small
made-up sentence of the same shape (not the evaluation texts)."""

from __future__ import annotations

import pytest

from vanban.extract.agencies import split_agencies


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
