"""Gold records of the val2 part (issue 13), written by hand from reading each text.

The annotation itself, every judgment call visible here; `../annotate_common.py` says what a run
checks and writes. Usage: `python3 eval/extract/val2/annotate.py`.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # annotate_common, beside this folder
from annotate_common import header, headerless, record, task, write_gold  # noqa: E402


INTRO_171 = "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"

RECORDS = [
    # Công điện 228/CĐ-TTg: text starts at the addressee list, no header block and no abstract.
    # It calls itself "Công điện này". No section headings: every numbered item is a task.
    record("tnt305-44aeb2fd86d07d4a", headerless("Công điện"), tasks=[
        # b) "Chỉ đạo Bảo hiểm xã hội Việt Nam chi trả ..." is an assignment to a distinct body.
        task("1", "Bộ Tài chính chủ trì, phối hợp với các bộ, địa phương liên quan:",
             ["Bộ Tài chính", "Bảo hiểm xã hội Việt Nam"], ["các bộ, địa phương liên quan"]),
        task("2", "Bộ Y tế theo chức năng, nhiệm vụ được giao chủ trì, phối hợp với Bộ Tài chính và các "
             "địa phương liên quan chỉ đạo việc giải quyết quyền lợi về khám bệnh, chữa bệnh bảo hiểm y "
             "tế đối với người tham gia bảo hiểm y tế chịu ảnh hưởng bởi lũ lụt với thủ tục nhanh chóng, "
             "thuận lợi, bảo đảm kịp thời, đầy đủ, đúng quy định pháp luật về bảo hiểm y tế và quy định "
             "pháp luật có liên quan.",
             ["Bộ Y tế"], ["Bộ Tài chính", "các địa phương liên quan"]),
        task("3", "Bộ Nội vụ theo chức năng, nhiệm vụ được giao chủ trì, phối hợp với Bộ Tài chính và các "
             "địa phương liên quan chỉ đạo việc giải quyết quyền lợi về bảo, hiểm thất nghiệp đối với "
             "người tham gia bảo hiểm thất nghiệp chịu ảnh hưởng bởi lũ lụt với thủ tục nhanh chóng, "
             "thuận lợi, bảo đảm kịp thời, đầy đủ, đúng quy định pháp luật về việc làm và quy định pháp "
             "luật có liên quan.",
             ["Bộ Nội vụ"], ["Bộ Tài chính", "các địa phương liên quan"]),
        # The province list after the colon names the members, not another lead (as 234/CĐ-TTg task 1).
        task("4", "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương: Hà Tĩnh, Quảng Trị, "
             "Huế, Đà Nẵng, Quảng Ngãi, Gia Lai, Đắk Lắk, Khánh Hòa, Lâm Đồng chủ động, tích cực phối hợp "
             "chặt chẽ với Bộ Tài chính, Bộ Y tế, Bộ Nội vụ để bảo đảm quyền và lợi ích hợp pháp, chính "
             "đáng của người dân, doanh nghiệp.",
             ["Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"],
             ["Bộ Tài chính", "Bộ Y tế", "Bộ Nội vụ"]),
        task("5", "Văn phòng Chính phủ theo chức năng, nhiệm vụ được giao theo dõi, đôn đốc thực hiện Công "
             "điện này, báo cáo cấp có thẩm quyền những vấn đề vượt thẩm quyền.",
             ["Văn phòng Chính phủ"]),
    ], signature={"title": "PHÓ THỦ TƯỚNG", "name": "Hồ Đức Phớc"}),

    # Kết luận 212-KL/TW: header present. Item 1 only agrees with and assesses the Tờ trình: not a task.
    # Item 2 names no actor and the intro ("Bộ Chính trị, Ban Bí thư kết luận như sau:") names nobody
    # to do it: lead []. "(hoàn thành trong tháng 11/2025)" is the deadline of items 3 and 4.
    record("tnt305-53b3997d70905b16", header(
        "Kết luận", "212-KL/TW", "Ban Chấp hành Trung ương", "Hà Nội", "2025-11-18",
        "Của Bộ Chính trị, Ban Bí thư về định hướng xây dựng tiêu chuẩn của đơn vị hành chính, "
        "phân loại đơn vị hành chính và phân loại đô thị"),
        legal_bases=["03-TTr/ĐU"], tasks=[
        task("2", "Rà soát, đánh giá kỹ lưỡng những tác động và chất lượng các đô thị, đơn vị hành chính để "
             "xây dựng tiêu chuẩn, tiêu chí rõ ràng, khoa học, phù hợp, bảo đảm tính thống nhất, ổn định "
             "sau sắp xếp tổ chức bộ máy trong hệ thống chính trị; khẩn trương hoàn thiện các tiêu chí "
             "phân loại đơn vị hành chính và phân loại đô thị, nhất là các đơn vị hành chính có yếu tố đặc "
             "biệt, đặc thù về di tích lịch sử, văn hoá, danh lam thắng cảnh, phù hợp với xu thế phát "
             "triển đô thị, bảo đảm môi trường, cảnh quan, kiến trúc, tối ưu kết nối các dịch vụ, hạ tầng "
             "kỹ thuật, liên kết, liên thông đồng bộ giữa các đô thị, đơn vị hành chính."),
        task("3", "Giao Đảng uỷ Quốc hội lãnh đạo, chỉ đạo ban hành Nghị quyết về tiêu chuẩn của đơn vị "
             "hành chính và phân loại đô thị thống nhất, đồng bộ của hệ thống pháp luật để phát triển đô "
             "thị phù hợp với chính quyền địa phương 2 cấp và xu thế chung (hoàn thành trong tháng "
             "11/2025).",
             ["Đảng uỷ Quốc hội"], timeframe="trong tháng 11/2025"),
        task("4", "Giao Đảng uỷ Chính phủ lãnh đạo, chỉ đạo các cơ quan chức năng tiếp tục rà soát, hoàn "
             "thiện các văn bản pháp luật quy định về tiêu chuẩn của đơn vị hành chính, phân loại đơn vị "
             "hành chính và phân loại đô thị khoa học, đồng bộ, thống nhất, phù hợp với điều kiện mới "
             "(hoàn thành trong tháng 11/2025); đồng thời làm tốt công tác tuyên truyền để cán bộ, đảng "
             "viên và Nhân dân hiểu rõ mục tiêu, ý nghĩa, tạo sự đồng thuận trong tổ chức triển khai thực "
             "hiện.",
             ["Đảng uỷ Chính phủ"], timeframe="trong tháng 11/2025"),
    ], signature={"title": "T/M BỘ CHÍNH TRỊ", "name": "Trần Cẩm Tú"}),

    # Công văn 6316/BVHTTDL-VP: starts at "Kính gửi", no header, no abstract. "Bộ trưởng giao:" then
    # nine items, each headed by its addressee. Headings without a colon end where the body starts.
    record("tnt305-77bf894e2b13c72c", headerless("Công văn"), legal_bases=["282/TTg-TKBT"], tasks=[
        # "Giao Văn phòng Bộ tổng hợp chung ..." inside item 1 is an assignment to a distinct body.
        task("1", "Thủ trưởng các cơ quan tham mưu, quản lý nhà nước thuộc Bộ",
             ["Thủ trưởng các cơ quan tham mưu, quản lý nhà nước thuộc Bộ", "Văn phòng Bộ"]),
        task("2", "Vụ Tổ chức cán bộ:", ["Vụ Tổ chức cán bộ"]),
        # "hằng tháng" is a reporting rhythm, not a timeframe.
        task("3", "Vụ Kế hoạch, Tài chính", ["Vụ Kế hoạch, Tài chính"], ["các cơ quan, đơn vị liên quan"]),
        task("4", "Văn phòng Bộ:", ["Văn phòng Bộ"]),
        task("5", "Cục Di sản văn hóa:", ["Cục Di sản văn hóa"], ["các cơ quan, đơn vị liên quan"]),
        task("6", "Cục Văn hóa các dân tộc Việt Nam:", ["Cục Văn hóa các dân tộc Việt Nam"],
             ["các cơ quan, đơn vị liên quan"]),
        task("7", "Cục Bản quyền tác giả:", ["Cục Bản quyền tác giả"], ["các cơ quan, đơn vị liên quan"]),
        # "Tham mưu Lãnh đạo Bộ chỉ đạo các cơ quan báo chí" is advice to the leadership: no extra lead.
        task("8", "Cục Báo chí, Cục Phát thanh Truyền hình và Thông tin điện tử, Cục Thông tin cơ sở và "
             "Thông tin đối ngoại:",
             ["Cục Báo chí", "Cục Phát thanh Truyền hình và Thông tin điện tử",
              "Cục Thông tin cơ sở và Thông tin đối ngoại"]),
        task("9", "Trung tâm Chuyển đổi số VHTTDL:", ["Trung tâm Chuyển đổi số VHTTDL"]),
    ], signature={"title": "PHÓ CHÁNH VĂN PHÒNG", "name": "Nguyễn Thanh Sơn"}),

    # Công văn 171/CV-BCĐ: starts at "Kính gửi", no header. The list intro names the addressee
    # ("yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương ... một số nội dung
    # cụ thể sau:"), the lead of every item. Item 1's "giao Ủy ban nhân dân cấp tỉnh" adds a lead;
    # item 2's "Cấp ủy, chính quyền địa phương xác định ..." is the addressee's own apparatus, no lead.
    # The closing "Chủ tịch ... bảo đảm đến hết tháng 12 năm 2025 ..." is the closing formula, not
    # item 4. The line after the signature (two Bộ Nội vụ letters) is a footnote, not a legal basis.
    record("tnt305-65c9ecb9e2fa82c1", headerless("Công văn"), legal_bases=["210-KL/TW"], tasks=[
        task("1", "Về tổ chức thực hiện chức năng, nhiệm vụ được phân cấp, phân quyền, phân định thẩm quyền",
             [INTRO_171, "Ủy ban nhân dân cấp tỉnh"], timeframe="đến hết năm 2025"),
        task("2", "Về kiện toàn tổ chức bộ máy và đội ngũ cán bộ, công chức, viên chức ở cấp xã",
             [INTRO_171], timeframe="cuối tháng 12 năm 2025"),
        task("3", "Về cơ sở vật chất, trụ sở và tài sản công", [INTRO_171]),
        task("4", "Về trang thiết bị, phương tiện làm việc và hạ tầng công nghệ thông tin", [INTRO_171]),
    ], signature={"title": "PHÓ THỦ TƯỚNG", "name": "Phạm Thị Thanh Trà"}),

    # Công văn 5095/SGDĐT-CTTTHSSV: full header. One unnumbered request ("đề nghị UBND các xã, phường;
    # các đơn vị, cơ sở giáo dục trực thuộc thực hiện ... Cụ thể: - ... - ...") is one task, path "".
    record("tnt305-d97b35347d17f96f", header(
        "Công văn", "5095/SGDĐT-CTTTHSSV", "Sở Giáo dục và Đào tạo", "Hà Nội", "2025-12-03",
        "Tăng cường các biện pháp cấp bách về kiểm soát ô nhiễm môi trường không khí trên địa bàn "
        "Thành phố"),
        legal_bases=["6356/UBND-NNMT"], tasks=[
        task("", "Nhằm đảm bảo sức khỏe cho học sinh, sinh viên và cán bộ, giáo viên, nhân viên của các đơn "
             "vị, trường học, Sở Giáo dục và Đào tạo đề nghị UBND các xã, phường; các đơn vị, cơ sở giáo "
             "dục trực thuộc thực hiện nghiêm túc theo văn bản chỉ đạo của UBND Thành phố, chủ động điều "
             "chỉnh lịch học tập và sinh hoạt ngoài trời.",
             ["UBND các xã, phường", "các đơn vị, cơ sở giáo dục trực thuộc"]),
    ], signature={"title": "PHÓ GIÁM ĐỐC", "name": "Nguyễn Quang Tuấn"}),
]


if __name__ == "__main__":
    sys.exit(write_gold(RECORDS, HERE))
