"""Build the agency gazetteer (vanban/extract/patterns/gazetteer.json) from documented sources.

Sources:
1. The corpus's ``tvpl`` documents (../shared/corpus/train_corpus.jsonl.xz: 412 full 2025
   administrative texts of ministries and provinces, before and after the 2025 reorganisation):
   - agency names found in their recipients lists ("Nơi nhận:"), "Kính gửi:" lists and
     "X chủ trì" / "phối hợp với X" clauses, cut by ``vanban.extract.agencies.agency_spans`` and
     kept when they recur in at least ``MIN_DOCS`` documents, with a place name
     (``vanban/data/lexicon/places.txt``) replaced by the slot ``{place}`` so one entry covers
     every province ("Sở Y tế tỉnh {place}" is not kept: the province part is the unit, "Sở Y tế"
     is the body);
   - issuer codes: the code after "/" in "Số: 123/QĐ-TTg" mapped to the header's issuing body
     when one body holds a code in most documents ("TTg" -> "Thủ tướng Chính phủ").
2. ``scripts/agency_seed.json``: the shapes every province has that a corpus sample may miss
   (the 2025 departments and their predecessors, Công an / Bộ Chỉ huy Quân sự tỉnh, mass
   organisations, the press), shared-head categories ("các tổ chức chính trị - xã hội",
   "cơ quan thông tấn báo chí") and labels that are never agencies ("Đơn vị thực hiện").

Usage (repository root, ../shared beside it):
    .venv/bin/python scripts/make_agency_gazetteer.py [--corpus PATH] [-o vanban/extract/patterns/gazetteer.json]
"""
from __future__ import annotations

import argparse
import collections
import json
import lzma
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vanban.extract import agencies  # noqa: E402
from vanban.normalize.training import DEFAULT_CORPUS, read_documents  # noqa: E402
from vanban.extract.agencies import agency_spans, split_agencies  # noqa: E402
from vanban.extract.text import clean, key, load_patterns  # noqa: E402

MIN_DOCS = 3
FUNCTION_WORDS = {"có", "và", "của", "các", "trả", "được", "là", "với", "tại", "về", "cho", "theo"}
HEAD_KEYS = {key(h) for h in load_patterns("agencies")["heads"]}
INNER = set(load_patterns("agencies")["inner_words"]) - FUNCTION_WORDS
MAX_WORDS = 12
UNIT_WORDS = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "đặc khu")


def place_names() -> list[str]:
    """Unit names of places.txt ("huyện Côn Đảo, tỉnh Bà Rịa - Vũng Tàu" -> "Côn Đảo",
    "Bà Rịa - Vũng Tàu"), longest first."""
    names = set()
    for line in (ROOT / "vanban/data/lexicon/places.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        for part in line.split(","):
            part = part.strip()
            for unit in sorted(UNIT_WORDS, key=len, reverse=True):
                if part.startswith(unit + " "):
                    names.add(part[len(unit) + 1:])
                    break
    return sorted(names, key=len, reverse=True)


def generalise(name: str, places_rx: re.Pattern) -> str | None:
    """The body's name with a trailing place (unit word + place name) dropped; None for names
    that are only a place or too long to be one body."""
    name = clean(name).strip(" ,;.:-")
    name = places_rx.sub("", name).strip(" ,;.:-")
    words = name.split()
    if not name or len(words) > MAX_WORDS or len(words) < 2:
        return None
    if not name[:1].isupper() or name.isupper() or sum(w.isupper() and len(w) > 1 for w in words) > 1:
        return None  # signature lines and abbreviation soups are no names
    if words[-1] in FUNCTION_WORDS or key(name) in HEAD_KEYS:
        return None  # "Cục Thuế có" (a verb phrase follows), "Các đơn vị" (a head alone)
    if any(w[:1].islower() and w not in INNER for w in words[1:]):
        return None
    return name


def clauses(text: str) -> list[str]:
    """Text where agency names are listed: recipients, addressees, chủ trì / phối hợp clauses."""
    out = []
    for m in re.finditer(r"(?:Nơi nhận|Kính gửi)\s*:(.{0,3000}?)(?:Lưu\s*:|$)", text, re.S):
        out.extend(x for x in re.split(r"[;\n]|\s-\s", m.group(1)) if x.strip())
    for m in re.finditer(r"([^.;:\n]{3,160}?)\s+chủ trì", text):
        out.append(m.group(1))
    for m in re.finditer(r"phối hợp(?:\s+với)?\s+([^.;:\n]{3,200})", text):
        out.append(m.group(1))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("-o", "--output", default=str(ROOT / "vanban/extract/patterns/gazetteer.json"))
    args = ap.parse_args()
    agencies.USE_GAZETTEER = False  # names as the head rules alone cut them: no feedback from the last build
    try:
        docs = list(read_documents(args.corpus))
    except (OSError, lzma.LZMAError) as err:
        sys.exit(f"make_agency_gazetteer: cannot read the corpus: {err}")
    docs = [d for d in docs if d.get("source") == "tvpl" and d.get("text")]
    places = place_names()
    places_rx = re.compile(r"\s+(?:" + "|".join(re.escape(u) for u in UNIT_WORDS) + r")\s+(?:"
                           + "|".join(re.escape(p) for p in places) + r")\s*$", re.I)
    seen: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    doc_count: collections.Counter = collections.Counter()
    codes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for d in docs:
        text = d["text"]
        found = set()
        for clause in clauses(text):
            clause = re.sub(r"^\s*[-+•]\s*", "", clause).strip()
            clause = re.sub(r"\(.*?\)", "", clause)
            for s, e in agency_spans(clause):
                for part in split_agencies(clause[s:e]):
                    name = generalise(part, places_rx)
                    if name:
                        k = key(name)
                        seen[k][name] += 1
                        found.add(k)
        doc_count.update(found)
        # issuer code: the header's first caps line(s) before "Số:"
        m = re.search(r"Số\s*:?\s*\d+[\w-]*/(?:[\wĐ]+-)?([A-ZĐ][\wĐ]*)(?=[\s,]|$)", text[:1500])
        head = re.split(r"CỘNG HÒA|Số\s*:", text[:600])[0]
        if m and head.strip():
            issuer = clean(head.replace("\n", " ")).strip(" -_")
            if 1 <= len(issuer.split()) <= 14 and issuer.isupper():
                codes[m.group(1)][issuer] += 1
    seed = json.loads((ROOT / "scripts/agency_seed.json").read_text(encoding="utf-8"))
    dropped = {key(n) for n in seed["not_names"]}
    names = sorted({seen[k].most_common(1)[0][0] for k, n in doc_count.items() if n >= MIN_DOCS and k not in dropped},
                   key=lambda n: key(n))
    code_map = {}
    for code, c in sorted(codes.items()):
        issuer, n = c.most_common(1)[0]
        if n >= 2 and n >= 0.6 * sum(c.values()) and code not in ("UBND", "HĐND"):
            code_map[code] = issuer
    out = {
        "_comment": "Agency gazetteer built by scripts/make_agency_gazetteer.py (do not edit by hand: "
                    "edit scripts/agency_seed.json and rebuild). names: bodies as written in the corpus's "
                    "tvpl documents (in >= %d documents) plus the seed's provincial bodies; categories: "
                    "shared-head groups that stay one name; labels: column or field labels that are never "
                    "an agency; issuer_codes: the code of a document number -> the issuing body (caps, as "
                    "in headers)." % MIN_DOCS,
        "names": sorted(set(names) | set(seed["names"]), key=lambda n: key(n)),
        "categories": seed["categories"],
        "labels": seed["labels"],
        "issuer_codes": {**code_map, **seed["issuer_codes"]},
    }
    Path(args.output).write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(out['names'])} names ({len(names)} from {len(docs)} corpus documents), "
          f"{len(out['issuer_codes'])} issuer codes -> {args.output}")


if __name__ == "__main__":
    main()
