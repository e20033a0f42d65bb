"""Synthetic plan records for store benchmarks and tests (deterministic for a given seed).

They have the shape of real extract output (PlanRecord.to_dict()) with Vietnamese text drawn
from small vocabularies; they are not meant to read well, only to exercise the store at scale.
"""

from __future__ import annotations

import hashlib
import random

from vanban.model import Objective, PlanRecord, Reference, Section, Target, Task

PROVINCES = ["Nghệ An", "Đồng Tháp", "Cần Thơ", "Hà Tĩnh", "Quảng Ninh", "Đắk Lắk", "Lâm Đồng",
             "Thái Nguyên", "Bình Định", "Hải Phòng"]
AGENCIES = ["Sở Tài chính", "Sở Nội vụ", "Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch",
            "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Công an tỉnh",
            "Sở Xây dựng", "Sở Tư pháp", "Sở Nông nghiệp và Môi trường"]
TOPICS = ["phát triển hệ thống thư viện", "chuyển đổi số", "bảo vệ bí mật nhà nước",
          "đổi mới công nghệ", "phòng, chống dịch bệnh", "cải cách hành chính",
          "xây dựng nông thôn mới", "phát triển du lịch", "bảo vệ môi trường",
          "đào tạo nguồn nhân lực"]
VERBS = ["Tăng cường", "Đẩy mạnh", "Nâng cao", "Triển khai", "Rà soát", "Hoàn thiện", "Xây dựng",
         "Tổ chức", "Hướng dẫn", "Kiểm tra"]
OBJECTS = ["công tác tuyên truyền", "cơ sở dữ liệu", "đội ngũ cán bộ", "hạ tầng số",
           "chất lượng dịch vụ", "cơ chế, chính sách", "nguồn lực tài chính", "mạng lưới cơ sở",
           "hoạt động kiểm tra", "sự phối hợp liên ngành"]
CITED = ["208/QĐ-TTg", "32/CT-TTg", "57-NQ/TW", "71/NQ-CP", "06/QĐ-TTg", "749/QĐ-TTg"]
DOC_TYPES = [("Kế hoạch", "KH-UBND"), ("Quyết định", "QĐ-UBND"), ("Chỉ thị", "CT-UBND")]


def synthetic_record(i: int, seed: int = 0) -> dict:
    """The i-th synthetic record (a PlanRecord dict) of a seeded series."""
    rng = random.Random(seed * 1_000_003 + i)
    province = rng.choice(PROVINCES)
    kind, suffix = rng.choice(DOC_TYPES)
    year = rng.randint(2015, 2025)
    topic = rng.choice(TOPICS)
    number = f"{rng.randint(1, 999)}/{suffix}"
    cited = rng.sample(CITED, 2)

    def sentence() -> str:
        return (f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} về {rng.choice(TOPICS)} "
                f"trên địa bàn tỉnh {province}")

    objectives = [Objective(scope="general", text=f"{sentence()}.")]
    for _ in range(rng.randint(1, 4)):
        value = rng.choice([50, 80, 90, 100, 3, 12])
        due = rng.choice([2025, 2030, None])
        unit = "%" if value >= 50 else "thư viện"
        objectives.append(Objective(
            scope="specific",
            text=f"Đến năm {due or year}, {value}{'%' if unit == '%' else ' ' + unit} "
                 f"{rng.choice(OBJECTS)} đạt chuẩn.",
            targets=[Target(value=value, unit=unit, year=due)]))
    tasks = []
    for t in range(1, rng.randint(3, 8)):
        lead = rng.choice(AGENCIES)
        partners = rng.sample([a for a in AGENCIES if a != lead], rng.randint(0, 2))
        title = sentence()
        tasks.append(Task(path=f"II.{t}", title=title,
                          text=f"{title}. {sentence()}; {sentence()}.", lead=[lead],
                          partners=partners, timeframe=rng.choice(["Thường xuyên", f"Năm {year}",
                                                                   None])))
    record = PlanRecord(
        id=f"synthetic-{seed}-{i}",
        document={"type": kind, "number": number,
                  "issuer": f"Ủy ban nhân dân tỉnh {province}", "place": province,
                  "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                  "title": f"Thực hiện {topic} trên địa bàn tỉnh {province} giai đoạn "
                           f"{year}-{year + 5}", "period": f"{year}-{year + 5}"},
        legal_bases=cited,
        references=[Reference(number=n, kind="Quyết định", text=f"Căn cứ văn bản số {n}",
                              basis="Căn cứ") for n in cited],
        purposes=[f"{sentence()}."], requirements=[f"{sentence()}."],
        objectives=objectives, tasks=tasks,
        implementation=[f"Giao {rng.choice(AGENCIES)} chủ trì, theo dõi, đôn đốc."],
        sections=[Section(path="I", marker="I.", heading="MỤC ĐÍCH, YÊU CẦU", role="purposes",
                          level=1),
                  Section(path="II", marker="II.", heading="NHIỆM VỤ, GIẢI PHÁP", role="tasks",
                          level=1)],
        signature={"title": "PHÓ CHỦ TỊCH", "name": "Nguyễn Văn A"},
        provenance={"source": f"synthetic/{i}.txt"})
    d = record.to_dict()
    d["provenance"]["sha256"] = hashlib.sha256(f"{seed}:{i}".encode()).hexdigest()
    return d


def synthetic_text(record: dict) -> str:
    """A plain document text for a synthetic record (one paragraph per line)."""
    doc = record["document"]
    lines = [doc["issuer"].upper(), f"Số: {doc['number']}", doc["type"].upper(), doc["title"]]
    lines += record["purposes"] + record["requirements"]
    lines += [o["text"] for o in record["objectives"]]
    lines += [f"{t['path']}. {t['text']}" for t in record["tasks"]]
    lines += record["implementation"]
    return "\n".join(lines)


def add_synthetic_records(store, numbers) -> None:
    """Add the synthetic records ``numbers`` to an open :class:`vanban.corpus.Store`, each with
    its text and a content hash made from its number."""
    for i in numbers:
        rec = synthetic_record(i)
        store.add(rec, text=synthetic_text(rec), sha256=f"{i:064x}")


def synthetic_store(path, numbers):
    """A corpus database at ``path`` holding the synthetic records ``numbers``; returns ``path``."""
    from vanban.corpus import Store
    with Store(path) as store:
        add_synthetic_records(store, numbers)
    return path


def _write_records(db: str, numbers, queue) -> None:
    """One writer process: add the records ``numbers`` to ``db``, then put "ok" (or the error)
    on ``queue``."""
    from vanban.corpus import Store
    try:
        with Store(db, timeout=30) as store:
            add_synthetic_records(store, numbers)
        queue.put("ok")
    except Exception as err:  # reported to the test, which fails on it
        queue.put(f"{type(err).__name__}: {err}")


def concurrent_writers(db, parts, timeout: float = 180) -> list[str]:
    """Start one forked process per entry of ``parts`` at once, each adding those synthetic
    records to ``db``; wait for them and return what each reported ("ok" or its error), sorted."""
    import multiprocessing
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_write_records, args=(str(db), numbers, queue)) for numbers in parts]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout)
    return sorted(queue.get(timeout=60) for _ in procs)
