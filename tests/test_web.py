"""The web view end to end: a small store built at test time (three plan texts and one page
rendered with tests.support.synth and read by the real Tesseract), `vanban serve` started in a
subprocess on a free loopback port, plain HTTP for the JSON API and the refusals, and headless
Chromium (Debian's chromium + chromium-driver, through Selenium) for search -> facet ->
document page -> the highlighted box.

Screenshots go to tests/artifacts/web/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from PIL import Image

from tests.support import synth
from vanban.corpus import Store, fold, run_batch
from vanban.web.pages import PageImages

FIXTURES = Path(__file__).parent / "fixtures" / "corpus"
ARTIFACTS = Path(__file__).parent / "artifacts" / "web"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

#: A one-page plan of a province the text fixtures do not have; it cites the Hà Giang plan.
SCANNED_PLAN = """ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: 88/KH-UBND Tuyên Quang, ngày 10 tháng 3 năm 2025
KẾ HOẠCH
PHÁT TRIỂN THƯ VIỆN SỐ TRÊN ĐỊA BÀN TỈNH TUYÊN QUANG
Căn cứ Kế hoạch số 215/KH-UBND ngày 12/6/2024 của Ủy ban nhân dân tỉnh Hà Giang;
I. MỤC TIÊU
1. Đến năm 2030, 100% thư viện cấp tỉnh được số hóa tài liệu.
2. Đến năm 2027, xây dựng 15 điểm đọc sách điện tử tại các xã.
II. NHIỆM VỤ
1. Xây dựng cơ sở dữ liệu thư viện số. Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Sở Tài chính thực hiện trong năm 2026.
2. Bồi dưỡng kỹ năng số cho người làm công tác thư viện. Sở Nội vụ chủ trì thực hiện thường xuyên.
Nơi nhận: - Các sở, ngành; - Lưu: VT. TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn Sơn
"""
TEXT_PLANS = ["kh-thu-vien-ha-giang.txt", "tnt305-6a406c1f9dfed9c3.txt",
              "tnt305-a49ef8a0da1f62dd.txt"]


# ------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The store: three text plans and one scanned page, batched through the real pipeline."""
    root = tmp_path_factory.mktemp("web")
    inputs = root / "in"
    inputs.mkdir()
    for name in TEXT_PLANS:
        shutil.copy(FIXTURES / name, inputs / name)
    page = synth.compose_pages(synth.parse_plan_text(SCANNED_PLAN), dpi=200, seal=False)[0]
    page.image.save(inputs / "scan.png", dpi=(200, 200))
    db = root / "corpus.db"
    summary = run_batch([inputs], db, jobs=1, progress=False, log=lambda line: None)
    assert (summary.stored, summary.failed) == (4, 0), summary.failures
    with Store(db, readonly=True) as store:
        docs = {d["number"]: d for d in store.query()}
        scan = docs["88/KH-UBND"]
        assert scan["text_source"] == "ocr"
        record = store.record(scan["document_id"])
    return {"root": root, "db": db, "docs": docs, "scan_id": scan["document_id"],
            "scan_record": record, "scan_path": inputs / "scan.png"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(corpus):
    """`vanban serve` on a free loopback port, in its own process."""
    db_hash = hashlib.sha256(corpus["db"].read_bytes()).hexdigest()
    proc, base = _serve(corpus["db"], "/api/documents")
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    # read-only: serving and browsing left the database's bytes as they were
    assert hashlib.sha256(corpus["db"].read_bytes()).hexdigest() == db_hash


def _get(base: str, path: str) -> tuple[int, dict, bytes]:
    """A raw GET (the path is sent exactly as given, ``..`` and all)."""
    parsed = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def _serve(db: Path, ready: str) -> tuple[subprocess.Popen, str]:
    """`vanban serve` of ``db`` on a free loopback port, started in its own process, once a GET
    of ``ready`` answers 200: the process and its base URL (the caller ends the process)."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "vanban.cli", "serve", "--db", str(db),
                             "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if _get(base, ready)[0] == 200:
                return proc, base
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"vanban serve did not start: {proc.stdout.read()}")
        time.sleep(0.2)


def _json(base: str, path: str) -> tuple[int, dict]:
    status, headers, body = _get(base, path)
    assert headers.get("content-type", "").startswith("application/json"), (path, headers)
    return status, json.loads(body)


# ------------------------------------------------------------------------------- JSON API
TASK_FIELDS = ["document_id", "document_number", "province", "document_year", "seq", "path",
               "title", "text", "lead", "partners", "lead_ids", "partner_ids", "timeframe", "url"]
OBJECTIVE_FIELDS = ["document_id", "document_number", "province", "document_year", "seq",
                    "scope", "group", "text", "targets", "url"]


def test_api_tasks_shape_and_filters(server, corpus):
    status, body = _json(server, "/api/tasks")
    assert status == 200 and set(body) == {"total", "limit", "offset", "rows"}
    with Store(corpus["db"], readonly=True) as store:
        assert body["total"] == len(store.query("task"))
    assert all(list(row) == TASK_FIELDS for row in body["rows"])
    assert all(isinstance(row["lead"], list) and isinstance(row["lead_ids"], list)
               for row in body["rows"])
    # agency without diacritics, as a partner
    status, body = _json(server, "/api/tasks?agency=so+tai+chinh&province=tuyen+quang")
    assert status == 200 and body["total"] == 1
    [task] = body["rows"]
    assert task["path"] == "II.1" and task["partners"] == ["Sở Tài chính"]
    assert task["lead"] == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert task["url"] == f"/documents/{corpus['scan_id']}?item=task-1#task-1"
    # an abbreviation reaches the same task only through the normalised agency id
    status, body = _json(server, "/api/tasks?agency=" + urllib.parse.quote("Sở VHTTDL"))
    assert [r["path"] for r in body["rows"] if r["document_number"] == "88/KH-UBND"] == ["II.1"]
    status, body = _json(server, "/api/tasks?agency=so+van+hoa+the+thao+du+lich")
    first = body["rows"][0]
    assert "so van hoa the thao du lich" in first["lead_ids"] + first["partner_ids"]
    # year and paging
    status, body = _json(server, "/api/tasks?year=2024")
    assert body["total"] > 0 and {r["document_year"] for r in body["rows"]} == {2024}
    status, page2 = _json(server, "/api/tasks?limit=2&offset=2")
    status, all_rows = _json(server, "/api/tasks?limit=1000")
    assert page2["rows"] == all_rows["rows"][2:4]


def test_api_objectives_and_documents(server, corpus):
    status, body = _json(server, "/api/objectives?province=Tuy%C3%AAn+Quang")
    assert status == 200 and body["total"] == 2
    assert all(list(row) == OBJECTIVE_FIELDS for row in body["rows"])
    first = body["rows"][0]
    assert first["targets"] == [{"value": 100, "unit": "%", "year": 2030, "text": "100%"}]
    status, body = _json(server, "/api/objectives?target_year=2027")
    assert "88/KH-UBND" in [r["document_number"] for r in body["rows"]]
    assert all(any(t["year"] == 2027 for t in r["targets"]) for r in body["rows"])

    status, body = _json(server, "/api/documents?kind=ke+hoach")
    assert status == 200 and body["total"] == 4
    assert set(body["rows"][0]) >= {"document_id", "number", "province", "year", "n_tasks"}
    status, body = _json(server, f"/api/documents/{corpus['scan_id']}")
    assert status == 200 and body["document_id"] == corpus["scan_id"]
    assert body["record"] == corpus["scan_record"] and body["pages_shown"] == 1

    status, body = _json(server, "/api/search?q=thu+vien+so&province=tuyen+quang")
    assert status == 200 and body["total"] > 0
    assert all(h["province"] == "Tuyên Quang" for h in body["hits"])
    assert any("[" in h["snippet"] for h in body["hits"])


@pytest.mark.parametrize("path, status, words", [
    ("/api/tasks?year=20x5", 400, "year"),
    ("/api/tasks?limit=0", 400, "limit"),
    ("/api/tasks?limit=ten", 400, "limit"),
    ("/api/tasks?agencyy=so+tai+chinh", 400, "unknown parameter 'agencyy'"),
    ("/api/tasks?document_id=../../etc/passwd", 400, "document_id"),
    ("/api/objectives?target_year=next", 400, "year"),
    ("/api/search", 400, "q"),
    ("/api/search?q=" + "thu+" * 700, 400, "at most 2000"),
    ("/api/tasks?agency=" + "x" * 501, 400, "longer than 500"),
    ("/api/documents/" + "0" * 64, 404, "no document"),
    ("/api/documents/not-an-id", 404, "no document"),
    ("/api/nothing", 404, "nothing at"),
])
def test_api_bad_parameters_and_unknown_ids(server, path, status, words):
    got, body = _json(server, path)
    assert got == status and body["status"] == status and words in body["error"]


def test_pages_answer_and_bad_input_is_refused(server, corpus):
    status, headers, body = _get(server, "/")
    text = body.decode()
    assert status == 200 and "Tuyên Quang" in text and 'id="count-documents">4<' in text
    status, _, body = _get(server, "/documents?province=ha+giang")
    assert status == 200 and "215/KH-UBND" in body.decode() and "7360/KH-UBND" not in body.decode()
    status, _, body = _get(server, "/documents?year=twenty")
    assert status == 400 and "four-digit year" in body.decode()
    status, _, body = _get(server, f"/documents/{corpus['scan_id']}?item=task-99")
    assert status == 400 and "no item" in body.decode()
    # the Hà Giang plan is cited by the scanned one, which links to it
    ha_giang = corpus["docs"]["215/KH-UBND"]["document_id"]
    status, _, body = _get(server, f"/documents/{ha_giang}")
    cited_by = f'class="cited-by" href="/documents/{corpus["scan_id"]}"'
    assert status == 200 and cited_by in body.decode()
    status, _, body = _get(server, f"/documents/{corpus['scan_id']}")
    assert f'class="cites" href="/documents/{ha_giang}"' in body.decode()


def test_nothing_outside_the_corpus_can_be_fetched(server, corpus):
    scan = corpus["scan_id"]
    status, headers, body = _get(server, f"/documents/{scan}/pages/1.jpg")
    assert status == 200 and headers["content-type"] == "image/jpeg" and body[:2] == b"\xff\xd8"
    text_doc = corpus["docs"]["215/KH-UBND"]["document_id"]
    for path in [f"/documents/{scan}/pages/2.jpg", f"/documents/{scan}/pages/0.jpg",
                 f"/documents/{text_doc}/pages/1.jpg",
                 "/documents/../../../../etc/passwd", "/documents/..%2F..%2F..%2Fetc%2Fpasswd",
                 "/%2e%2e/%2e%2e/etc/passwd", "/static/../../etc/passwd",
                 f"/documents/{scan}/pages/1.jpg/../../../corpus.db",
                 f"/documents/{scan}/pages/..%2F..%2Fcorpus.db", "/corpus.db",
                 "/in/scan.png", f"/documents/{scan}/pages/%2e%2e%2fscan.png"]:
        status, _, body = _get(server, path)
        assert status in (400, 404), path
        assert b"root:" not in body and b"SQLite format" not in body and b"\x89PNG" not in body


def test_page_images_only_for_stored_files_with_the_documents_content(tmp_path, corpus):
    """The page reader opens a stored path only when its bytes hash to the document id."""
    scan_id = corpus["scan_id"]
    copy = tmp_path / "scan.png"
    shutil.copy(corpus["scan_path"], copy)
    stored = {scan_id: ["/etc/passwd", "../../../etc/hostname", "scan.png"]}
    images = PageImages(lambda doc_id: stored.get(doc_id, []), [tmp_path])
    assert images.file_for(scan_id) == copy and images.count(scan_id) == 1
    jpeg, size = images.page(scan_id, 1)
    assert size == Image.open(copy).size and jpeg[:2] == b"\xff\xd8"
    assert images.page(scan_id, 2) is None and images.count("0" * 64) == 0
    # the file changed since it was stored: its pages are no longer shown
    changed = PageImages(lambda doc_id: stored.get(doc_id, []), [tmp_path])
    copy.write_bytes(copy.read_bytes() + b"\0")
    assert changed.file_for(scan_id) is None and changed.count(scan_id) == 0


def test_pdf_pages_are_rendered_at_the_ocr_dpi(tmp_path, corpus):
    """A scanned PDF's page image has the size the OCR stage rendered it at (its box space)."""
    pdf = tmp_path / "scan.pdf"
    scan = Image.open(corpus["scan_path"])
    synth.save_pdf([scan, scan.rotate(90, expand=True)], pdf, dpi=200)
    doc_id = hashlib.sha256(pdf.read_bytes()).hexdigest()
    images = PageImages(lambda d: [str(pdf)] if d == doc_id else [], [tmp_path])
    from vanban.ocr.inputs import open_input
    sources = open_input(pdf)
    expected = [sources[i].load().size for i in range(2)]
    assert images.sizes(doc_id) == expected  # from the page size alone, before any render
    for n in (1, 2):
        jpeg, size = images.page(doc_id, n)
        assert size == expected[n - 1]
        served = Image.open(io.BytesIO(jpeg))
        assert served.width == 1100
        assert abs(served.height / served.width - size[1] / size[0]) < 0.002


def test_a_view_sees_documents_a_batch_adds_while_it_serves(tmp_path):
    """Counts, facets, lists and agency names are cached only until the store changes."""
    from tests.support.synthetic import synthetic_record, synthetic_text
    from vanban.web import CorpusView, Filters
    db = tmp_path / "live.db"
    with Store(db) as writer:
        first = synthetic_record(1)
        writer.add(first, text=synthetic_text(first))
        view = CorpusView(db)
        assert view.overview()["counts"]["documents"] == 1
        assert view.documents(Filters())[1] == 1
        before = {f["value"]: f["n"] for f in view.document_facets(Filters())["province"]}
        second = synthetic_record(2)
        writer.add(second, text=synthetic_text(second))
        assert view.overview()["counts"]["documents"] == 2
        rows, total = view.documents(Filters())
        assert total == 2 and {r["record_id"] for r in rows} == {first["id"], second["id"]}
        after = {f["value"]: f["n"] for f in view.document_facets(Filters())["province"]}
        assert sum(after.values()) == sum(before.values()) + 1
        writer.remove(rows[0]["document_id"])
        assert view.overview()["counts"]["documents"] == 1
        lead = second["tasks"][0]["lead"][0] if rows[0]["record_id"] == first["id"] else \
            first["tasks"][0]["lead"][0]
        tasks, n = view.tasks(Filters(agency=lead))
        assert n >= 1 and all(lead in t["lead"] + t["partners"] for t in tasks)


def test_store_freshness_is_read_once_per_request_on_each_thread(tmp_path):
    """The cache's freshness is the connection's `PRAGMA data_version`, read once per request
    (it was several count(*) and max(rowid) reads per cached fact); a connection opened on
    another thread after a change never serves what was cached before it."""
    import threading

    from tests.support.synthetic import synthetic_record, synthetic_text
    from vanban.web import CorpusView
    db = tmp_path / "fresh.db"
    with Store(db) as writer:
        writer.add(synthetic_record(1), text=synthetic_text(synthetic_record(1)))
        view = CorpusView(db)
        view.begin_request()
        assert view.overview()["counts"]["documents"] == 1
        writer.add(synthetic_record(2), text=synthetic_text(synthetic_record(2)))
        assert view.overview()["counts"]["documents"] == 1  # the same request: as it began
        seen = []
        worker = threading.Thread(target=lambda: (view.begin_request(), seen.append(
            view.overview()["counts"]["documents"])))
        worker.start()
        worker.join()
        assert seen == [2]  # a new thread's first request looks again
        view.begin_request()
        assert view.overview()["counts"]["documents"] == 2


def test_serve_refuses_a_missing_database_and_a_busy_port(tmp_path):
    run = [sys.executable, "-m", "vanban.cli", "serve"]
    missing = subprocess.run(run + ["--db", str(tmp_path / "none.db"), "--port", "0"],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 6 and "no such corpus database" in missing.stderr
    assert "Traceback" not in missing.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        db = tmp_path / "c.db"
        Store(db).close()
        taken = subprocess.run(run + ["--db", str(db), "--port", str(port)],
                               capture_output=True, text=True, timeout=60)
    assert taken.returncode == 2 and "cannot listen on 127.0.0.1" in taken.stderr


def test_a_store_damaged_while_it_is_served_answers_with_the_stores_message(tmp_path):
    """The view read through raw connections: a store damaged under a running `vanban serve`
    answered 500 "internal error". Its reads now go through the store: 503 and the store's
    one-line message, in JSON for the API and on the HTML page."""
    from tests.support.damage import corrupt_middle
    from tests.support.synthetic import synthetic_store
    db = synthetic_store(tmp_path / "big.db", range(200))
    proc, base = _serve(db, "/")
    try:
        corrupt_middle(db)
        status, _, body = _get(base, "/api/tasks?limit=1000")
        assert status == 503, body
        error = json.loads(body)["error"]
        assert "cannot read the corpus database" in error and "malformed" in error
        status, _, body = _get(base, "/documents?limit=500")
        assert status == 503 and b"cannot read the corpus database" in body
        assert b"internal error" not in body
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# -------------------------------------------------------------------------------- browser
@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    assert Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(), \
        "Debian's chromium and chromium-driver are needed (scripts/install.sh installs them)"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1500,1000", "--lang=vi"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def _shot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert driver.save_screenshot(str(path)) and path.stat().st_size > 10_000
    return path


def _rect(driver, element) -> dict:
    return driver.execute_script("var r = arguments[0].getBoundingClientRect();"
                                 "return {x: r.left, y: r.top, w: r.width, h: r.height};",
                                 element)


def test_browser_search_facet_document_box(server, corpus, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
    wait = WebDriverWait(browser, 20)

    browser.get(server + "/")
    assert browser.find_element(By.ID, "count-documents").text == "4"
    _shot(browser, "1-overview")
    browser.get(server + "/documents?kind=" + urllib.parse.quote("Kế hoạch"))
    rows = browser.find_elements(By.CSS_SELECTOR, "#documents tr td:first-child a")
    assert sorted(r.text for r in rows) == sorted(corpus["docs"])
    _shot(browser, "1-documents")

    # search without diacritics: hits from several provinces, matched words marked
    browser.get(server + "/search?q=thu+vien")
    hits = browser.find_elements(By.CSS_SELECTOR, ".hit")
    provinces = {h.get_attribute("data-province") for h in hits}
    assert {"Tuyên Quang", "Hà Giang"} <= provinces
    marks = browser.find_elements(By.CSS_SELECTOR, ".hit mark")
    assert marks and all(fold(m.text) in ("thu", "vien", "thu vien") for m in marks)
    _shot(browser, "2-search")

    # facet: the scanned plan's province
    facet = browser.find_element(By.CSS_SELECTOR,
                                 ".facet-link[data-facet='province'][data-value='Tuyên Quang']")
    facet.click()
    wait.until(EC.url_contains("province="))
    hits = browser.find_elements(By.CSS_SELECTOR, ".hit")
    assert hits and {h.get_attribute("data-province") for h in hits} == {"Tuyên Quang"}
    assert len(hits) < len(provinces) + 100  # a narrower list than before
    _shot(browser, "3-facet")

    # the objective hit leads to the document page with its box drawn over the scan
    link = browser.find_element(By.CSS_SELECTOR, ".hit[data-kind='objective'] a.hit-link")
    link.click()
    wait.until(EC.url_contains("/documents/" + corpus["scan_id"]))
    selected = browser.find_element(By.CSS_SELECTOR, ".record .item.selected")
    anchor = selected.get_attribute("id")
    assert anchor.startswith("objective-")
    img = browser.find_element(By.CSS_SELECTOR, "#page-1 img")
    wait.until(lambda d: d.execute_script("return arguments[0].complete && "
                                          "arguments[0].naturalWidth > 0", img))
    box = browser.find_element(By.CSS_SELECTOR, ".hl-box")
    assert box.is_displayed() and box.get_attribute("data-item") == anchor
    b, i = _rect(browser, box), _rect(browser, img)
    assert b["w"] > 20 and b["h"] > 5
    assert i["x"] <= b["x"] and b["x"] + b["w"] <= i["x"] + i["w"]
    assert i["y"] <= b["y"] and b["y"] + b["h"] <= i["y"] + i["h"]
    # it sits where the record says the objective's line is on the page
    seq = int(anchor.split("-")[1])
    page, x0, y0, x1, y1 = [[r["page"], *r["bbox"]] for r in
                            corpus["scan_record"]["objectives"][seq - 1]["provenance"]][0]
    scale = i["w"] / Image.open(corpus["scan_path"]).width
    assert page == 1 and abs(b["x"] - (i["x"] + (x0 - 6) * scale)) < 3
    assert abs(b["y"] - (i["y"] + (y0 - 6) * scale)) < 3
    assert abs(b["w"] - (x1 - x0 + 12) * scale) < 3
    _shot(browser, "4-document-box")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.find_element(By.ID, "page-1").screenshot(str(ARTIFACTS / "5-page-with-box.png"))

    # pointing at another item (a task) moves the box to its line
    task = browser.find_element(By.ID, "task-2")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", task)
    task.click()
    wait.until(EC.url_contains("item=task-2"))
    moved = browser.find_element(By.CSS_SELECTOR, ".hl-box")
    assert moved.get_attribute("data-item") == "task-2" and moved.is_displayed()
    t_box = corpus["scan_record"]["tasks"][1]["provenance"][0]["bbox"]
    assert abs(_rect(browser, moved)["y"] - (_rect(browser, img)["y"] + (t_box[1] - 6) * scale)) < 3
    _shot(browser, "6-task-box")
