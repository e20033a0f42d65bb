"""Gold records of the val3 part (issue 13, round 3), written by hand from reading each text.

The annotation itself, every judgment call visible here; `../annotate_common.py` says what a run
checks and writes. Usage: `python3 eval/extract/val3/annotate.py`.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # annotate_common, beside this folder
from annotate_common import header, headerless, record, task, write_gold  # noqa: E402


RECORDS = [
    # Công văn 10989/BNV-TCBC: the whole document on one line, full header. One unnumbered request
    # ("đề nghị bộ, ngành, địa phương khẩn trương tổng hợp ... và gửi về Bộ Nội vụ trước ngày
    # 26/11/2025 ...") is one task, path "". The "[i]" line after the signature is a footnote.
    # "9151- CV/BTCTW" is written with a stray space (removed, as CONVENTIONS says).
    record("tnt305-5d3180cef1d254d0", header(
        "Công văn", "10989/BNV-TCBC", "Bộ Nội vụ", "Hà Nội", "2025-11-21",
        "Đề xuất biên chế giai đoạn 2026-2031 theo vị trí việc làm"),
        legal_bases=["9151-CV/BTCTW", "9671-CV/BTCTW", "8091/BNV-TCBC"], tasks=[
        task("", "Để việc đề xuất biên chế giai đoạn 2026-2031 của các bộ, ngành, địa phương được triển khai "
             "thống nhất theo đúng yêu cầu của Bộ Chính trị, Ban Bí thư và Ban Tổ chức Trung ương, trên cơ "
             "sở nguyên tắc và định hướng đề xuất nhu cầu biên chế giai đoạn 2026 - 2031 nêu trên, đề nghị "
             "bộ, ngành, địa phương khẩn trương tổng hợp đề xuất biên chế giai đoạn 2026-2031 theo vị trí "
             "việc làm[i] theo biểu mẫu gửi kèm (bộ, ngành báo cáo số liệu chi tiết theo Phụ lục số 1A, 1B, "
             "3A, 3B; địa phương báo cáo số liệu chi tiết theo Phụ lục số 2A, 2B, 4A, 4B) và gửi về Bộ Nội vụ "
             "trước ngày 26/11/2025 để tổng hợp, báo cáo cấp có thẩm quyền xem xét, quyết định.",
             ["bộ, ngành, địa phương"], timeframe="trước ngày 26/11/2025"),
    ], signature={"title": "THỨ TRƯỞNG", "name": "Vũ Chiến Thắng"}),

    # Công điện 232/CĐ-TTg as a web page copies it, on one line: a news lead-in (headline, summary and
    # the same three requests numbered "(1)-(3)") comes BEFORE the document's own header. The record
    # is the document's: header from "Số: 232/CĐ-TTg ... CÔNG ĐIỆN V/V ...", bases from its preamble,
    # tasks 1-3 from its body. The lead-in is not part of the document.
    # "các tỉnh: ..." / "các Bộ: ..." keep their lists (the head alone names no body), as
    # vpcp-cv3722 "các Bộ: Công an, Tài chính, ...". Task 1's "Ủy ban nhân dân các tỉnh: ... khẩn trương
    # gửi Báo cáo" is the addressee's own body: no extra lead. The closing "Văn phòng Chính phủ theo
    # dõi, đôn đốc ..." after item 3 is the closing formula (CONVENTIONS doubt 9), not part of item 3.
    record("tnt305-b2fa001677379e64", header(
        "Công điện", "232/CĐ-TTg", "Thủ tướng Chính phủ", "Hà Nội", "2025-11-27",
        "Khẩn trương thống kê, rà soát, tổng hợp báo cáo thiệt hại về nhà ở của Nhân dân do mưa lũ "
        "tại khu vực Nam Trung Bộ"),
        legal_bases=["227/CĐ-TTg", "380/NQ-CP"], tasks=[
        task("1", "Chủ tịch Ủy ban nhân dân các tỉnh: Đắk Lắk, Khánh Hòa, Gia Lai và Lâm Đồng chỉ đạo cơ quan "
             "chức năng và chính quyền cơ sở khẩn trương rà soát, thống kê, tổng hợp báo cáo cụ thể về một số "
             "nội dung sau:",
             ["Chủ tịch Ủy ban nhân dân các tỉnh: Đắk Lắk, Khánh Hòa, Gia Lai và Lâm Đồng"],
             timeframe="trước 17 giờ ngày 27/11/2025"),
        task("2", "Bộ trưởng Bộ Tài chính tổng hợp, chủ động đề xuất sử dụng nguồn lực từ ngân sách trung ương, "
             "đồng thời đề xuất phân công các tỉnh, thành phố có điều tiết ngân sách về trung ương hỗ trợ các "
             "tỉnh: Đắk Lắk, Khánh Hòa, Gia Lai và Lâm Đồng để có thêm nguồn lực hỗ trợ Nhân dân nhanh chóng "
             "sửa chữa, xây dựng lại nhà ở bảo đảm người dân có nhà ở an toàn trước Tết nguyên đán năm 2026.",
             ["Bộ trưởng Bộ Tài chính"]),
        task("3", "Bộ trưởng các Bộ: Quốc phòng, Công an chỉ đạo lực lượng quân đội, công an địa phương và các "
             "lực lượng khác hỗ trợ người dân sửa chữa, xây dựng lại nhà cửa theo đề nghị của địa phương.",
             ["Bộ trưởng các Bộ: Quốc phòng, Công an"]),
    ], signature={"title": "THỦ TƯỚNG", "name": "Phạm Minh Chính"}),

    # Công điện 230/CĐ-TTg, same web-page shape (news lead-in with "- ..." bullets before the header).
    # The header abstract starts "VỀ VIỆC", which is kept. Bases: the preamble between the addressee
    # list and "Thủ tướng Chính phủ yêu cầu:", de-duplicated, in order.
    record("tnt305-fa0dcc139cec05de", header(
        "Công điện", "230/CĐ-TTg", "Thủ tướng Chính phủ", "Hà Nội", "2025-11-26",
        "Về việc khẩn trương hoàn thành cập nhật, rà soát và phân loại kết quả thanh tra chuyên đề "
        "các dự án tồn đọng kéo dài"),
        legal_bases=["569/TB-VPCP", "1505/KH-TTCP", "170/2024/QH15", "384/TB-VPCP", "2554/BC-TTCP",
                     "77-KL/TW", "16495/BTC-PTHT", "13021/BTC-PTHT"], tasks=[
        task("1", "Cơ quan thanh tra khẩn trương hoàn thành việc thanh tra và ban hành kết luận theo đúng ý kiến "
             "chỉ đạo của Thủ tướng Chính phủ và hướng dẫn của Thanh tra Chính phủ tại Kế hoạch thanh tra số "
             "1505/KH-TTCP ngày 22/7/2025 trước ngày 26/11/2025.",
             ["Cơ quan thanh tra"], timeframe="trước ngày 26/11/2025"),
        # "UBND thành phố Đà Nẵng khẩn trương hoàn thành ..." assigns a distinct body: it adds a lead.
        task("2", "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan trực thuộc Chính phủ, Chủ tịch Ủy ban nhân "
             "dân các tỉnh, thành phố trực thuộc trung ương chủ trì, phối hợp với cơ quan thanh tra khẩn "
             "trương hoàn thành việc cập nhật, rà soát và phân loại các dự án theo hướng dẫn của Bộ Tài chính "
             "tại văn bản số 16495/BТС-PTHT ngày 22/10/2025, số 13021/BTC-PTHT ngày 22/8/2025.",
             ["Bộ trưởng", "Thủ trưởng cơ quan ngang bộ, cơ quan trực thuộc Chính phủ",
              "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương",
              "UBND thành phố Đà Nẵng"], ["cơ quan thanh tra"], timeframe="trước ngày 30/11/2025"),
        # "Đề nghị các đồng chí Bộ trưởng, ... Chủ tịch Uỷ ban nhân dân ..." names the same addressees.
        task("3", "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ; Ủy ban nhân dân các tỉnh, thành phố trực "
             "thuộc trung ương và các cơ quan thanh tra căn cứ chức năng, nhiệm vụ được giao khẩn trương "
             "triển khai hiệu quả các nhiệm vụ nêu trên, chịu trách nhiệm toàn diện trước Thủ tướng Chính phủ "
             "về việc chậm trễ triển khai làm ảnh hưởng tới tiến độ xử lý, tháo gỡ chung cho các dự án của Ban "
             "chỉ đạo.",
             ["Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
              "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương", "các cơ quan thanh tra"]),
        task("4", "Giao Bộ Tài chính - Cơ quan Thường trực Ban Chỉ đạo 751 đôn đốc các Bộ, cơ quan, địa phương "
             "khẩn trương triển khai thực hiện Công điện này.",
             ["Bộ Tài chính"]),
    ], signature={"title": "PHÓ THỦ TƯỚNG", "name": "Nguyễn Hòa Bình"}),

    # Công văn 6278/BVHTTDL-VP: one line, starts at "Kính gửi" (no header, no abstract). "Bộ ... yêu
    # cầu:" then eight items headed by their addressee; the heading ends where the body starts ("-"
    # bullet or a capitalised verb). "đảm bảo hoàn thành trong ..." is the item's deadline.
    record("tnt305-7f6efa59099bb33b", headerless("Công văn"),
           legal_bases=["220/CĐ-TTg", "1616/QĐ-TTg", "66/NQ-CP"], tasks=[
        task("1", "Vụ Pháp chế", ["Vụ Pháp chế"], timeframe="trong tháng 12/2025"),
        task("2", "Cục Xuất bản, In và Phát hành", ["Cục Xuất bản, In và Phát hành"], ["Bộ Tài chính"],
             timeframe="trong năm 2026"),
        task("3", "Cục Điện ảnh, Cục Du lịch Quốc gia Việt Nam",
             ["Cục Điện ảnh", "Cục Du lịch Quốc gia Việt Nam"], ["Vụ Pháp chế"], timeframe="trong năm 2026"),
        task("4", "Cục Mỹ thuật, Nhiếp ảnh và Triển lãm", ["Cục Mỹ thuật, Nhiếp ảnh và Triển lãm"],
             timeframe="trong quý I/2026"),
        task("5", "Cục Báo chí", ["Cục Báo chí"], timeframe="trong năm 2025"),
        task("6", "Cục Thể dục thể thao Việt Nam", ["Cục Thể dục thể thao Việt Nam"],
             timeframe="trong năm 2025"),
        task("7", "Cục Hợp tác quốc tế", ["Cục Hợp tác quốc tế"], timeframe="trước ngày 15/12/2025"),
        # Two bullets end "hoàn thành trước 30/11/2025": one value.
        task("8", "Các đơn vị có TTHC", ["Các đơn vị có TTHC"], ["Văn phòng Bộ"],
             timeframe="trước 30/11/2025"),
    ], signature={"title": "THỨ TRƯỞNG", "name": "Tạ Quang Đông"}),

    # Thông báo 648/TB-VPCP: one line, starts at the kind heading (no Số / date). "I. ĐÁNH GIÁ CHUNG" only
    # assesses and advises (unnumbered): no task. "II. MỘT SỐ KIẾN NGHỊ CỦA TỈNH" 1-8 answer the
    # province's requests and set work: tasks, titled by their "Về ...:" heading. The intro names
    # nobody; "Tỉnh" as written where the item charges the province (as TB 655 II.1).
    record("tnt305-296e373d796986f4", header(
        "Thông báo", None, None, None, None,
        "Kết luận của Phó Thủ tướng Chính phủ Lê Thành Long tại buổi làm việc với lãnh đạo tỉnh "
        "Điện Biên"), tasks=[
        task("II.1", "Về hỗ trợ kinh phí thực hiện dự án Bệnh án điện tử tại các cơ sở y tế:",
             ["Bộ Tài chính"], ["Bộ Y tế"]),
        task("II.2", "Về việc hỗ trợ 20 xe ô tô chuyên dùng cứu thương:", ["Tỉnh"]),
        task("II.3", "Về bố trí các nguồn lực đầu tư cho ngành Giáo dục và Đào tạo tỉnh Điện Biên (đảm bảo tỷ "
             "lệ phòng học, phòng công vụ, phòng nội trú/bán trú được kiên cố hóa đạt 100%):",
             ["Bộ Giáo dục và Đào tạo"], ["Bộ Tài chính", "các Bộ, cơ quan liên quan"]),
        task("II.4", "Về việc điều chỉnh Nghị định số 105/2020/NĐ-CP ngày 08 tháng 9 năm 2020 của Chính phủ:",
             ["Bộ Giáo dục và Đào tạo"]),
        task("II.5", "Về đề nghị sửa đổi, bổ sung Nghị định số 76/2019/NĐ-CP ngày 08 tháng 10 năm 2019 của "
             "Chính phủ:", ["Bộ Nội vụ"]),
        task("II.6", "Về việc lồng ghép các kiến nghị của tỉnh Điện Biên vào các các Chương trình mục tiêu quốc "
             "gia và các đề án có liên quan:", ["Bộ Giáo dục và Đào tạo", "Bộ Y tế"],
             timeframe="trước ngày 15 tháng 12 năm 2025"),
        task("II.7", "Về dự án xây dựng đường cao tốc Sơn La - Điện Biên - Cửa khẩu Tây Trang; dự án nâng cấp "
             "đường từ Quốc lộ 12 đến cửa khẩu A Pa Chải:", ["Tỉnh"]),
        task("II.8", "Các Bộ, cơ quan: Tài chính, Xây dựng, Nông nghiệp và Môi trường, Văn hóa, Thể thao và Du "
             "lịch, Công Thương, Giáo dục và Đào tạo, Ngoại giao, Tập đoàn Điện lực Việt Nam theo chức năng, "
             "nhiệm vụ được giao khẩn trương rà soát lại việc thực hiện ý kiến chỉ đạo của Thủ tướng Chính phủ "
             "tại Công văn số 7683/VPCP-QHĐP ngày 18 tháng 8 năm 2025, các Thông báo kết luận số 49/TB-VPCP "
             "ngày 07 tháng 02 năm 2024 và số 160/TB-VPCP ngày 24 tháng 4 năm 2023 của Văn phòng Chính phủ, báo "
             "cáo Thủ tướng Chính phủ kết quả thực hiện trước ngày 05 tháng 12 năm 2025.",
             ["Các Bộ, cơ quan: Tài chính, Xây dựng, Nông nghiệp và Môi trường, Văn hóa, Thể thao và Du lịch, "
              "Công Thương, Giáo dục và Đào tạo, Ngoại giao, Tập đoàn Điện lực Việt Nam"],
             timeframe="trước ngày 05 tháng 12 năm 2025"),
    ], signature={"title": "PHÓ CHỦ NHIỆM", "name": "Đỗ Ngọc Huỳnh"}),
]


if __name__ == "__main__":
    sys.exit(write_gold(RECORDS, HERE, ignore_spaces=True))
