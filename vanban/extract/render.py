"""A readable Markdown rendering of a plan record, for human review."""

from __future__ import annotations

from ..model import PlanRecord


def _esc(text) -> str:
    return str(text if text is not None else "—").replace("|", "\\|")


def render_markdown(record: PlanRecord) -> str:
    """The record as Markdown: header table, legal bases, items, tasks table, signature."""
    d = record.document
    out = [f"# {_esc(d.get('type'))} {_esc(d.get('number'))}", ""]
    if d.get("title"):
        out += [f"**{d['title']}**", ""]
    out += ["| field | value |", "|---|---|"]
    for k in ("type", "number", "issuer", "place", "date"):
        out.append(f"| {k} | {_esc(d.get(k))} |")
    period = d.get("period")
    if period:
        out.append(f"| period | {_esc(period.get('text') if isinstance(period, dict) else period)} |")
    out.append("")
    if record.legal_bases:
        out += ["## Legal bases", ""]
        by_number = {r.number: r for r in record.references}
        for n in record.legal_bases:
            r = by_number.get(n)
            extra = ", ".join(x for x in (r.kind, r.date, r.issuer) if x) if r else ""
            out.append(f"- {n}" + (f" ({extra})" if extra else ""))
        out.append("")
    for field, title in (("purposes", "Purposes"), ("requirements", "Requirements")):
        items = getattr(record, field)
        if items:
            out += [f"## {title}", ""] + [f"{i}. {t}" for i, t in enumerate(items, 1)] + [""]
    if record.objectives:
        out += ["## Objectives", ""]
        for o in record.objectives:
            targets = "; ".join(f"{t.value} {t.unit}" + (f" ({t.year})" if t.year else "")
                                for t in o.targets)
            out.append(f"- *{o.scope}*: {o.text}" + (f" — **targets:** {targets}" if targets else ""))
        out.append("")
    if record.tasks:
        out += ["## Tasks", "", "| path | task | lead | partners | timeframe |", "|---|---|---|---|---|"]
        for t in record.tasks:
            out.append(f"| {_esc(t.path)} | {_esc(t.title)} | {_esc('; '.join(t.lead) or None)} | "
                       f"{_esc('; '.join(t.partners) or None)} | {_esc(t.timeframe)} |")
        out.append("")
    if record.implementation:
        out += ["## Implementation", ""] + [f"{i}. {t}" for i, t in enumerate(record.implementation, 1)] + [""]
    if record.signature:
        s = record.signature
        out += ["## Signature", "", " / ".join(x for x in (s.get("authority"), s.get("title"), s.get("name")) if x), ""]
    if record.recipients:
        out += ["## Recipients", ""] + [f"- {r}" for r in record.recipients] + [""]
    if record.warnings:
        out += ["## Warnings", ""] + [f"- {w}" for w in record.warnings] + [""]
    return "\n".join(out)
