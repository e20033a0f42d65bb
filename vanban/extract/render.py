"""A readable Markdown rendering of a plan record, for human review."""

from __future__ import annotations

from ..model import PlanRecord


def _esc(text) -> str:
    return str(text if text is not None else "—").replace("|", "\\|")


#: Record fields left out of the rendering: positions of lines in the source (the provenance
#: of each item), the record's id and schema version (shown in the provenance section).
_NOT_RENDERED = {"id", "schema_version", "item_provenance"}
#: Fields rendered by their own section below; any other field a record has (one added to
#: the model later) is rendered generically, so nothing in the record is silently dropped.
_RENDERED = {"document", "legal_bases", "references", "purposes", "requirements", "objectives",
             "tasks", "implementation", "duties", "signature", "recipients", "sections",
             "provenance", "warnings"}


def _generic(value, indent: str = "") -> list[str]:
    """Markdown lines of any JSON-shaped value (lists as bullets, dicts as key: value)."""
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            if isinstance(v, (dict, list)) and v:
                out.append(f"{indent}- {k}:")
                out += _generic(v, indent + "  ")
            elif v not in (None, "", [], {}):
                out.append(f"{indent}- {k}: {v}")
        return out
    if isinstance(value, list):
        out = []
        for v in value:
            if isinstance(v, (dict, list)):
                sub = _generic(v, indent + "  ")
                if sub:
                    out.append(f"{indent}- " + sub[0].lstrip()[2:])
                    out += sub[1:]
            else:
                out.append(f"{indent}- {v}")
        return out
    return [f"{indent}{value}"]


def render_markdown(record: PlanRecord) -> str:
    """The record as Markdown for review: every field of the record (header, legal bases and
    other references, purposes, requirements, objectives with targets, tasks with their
    content, implementation, duties, funding and the other sections, signature, recipients,
    warnings, provenance); only line positions (``item_provenance``) are left out."""
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
    for k, v in d.items():  # header fields beyond the usual ones
        if k not in ("type", "number", "issuer", "place", "date", "title", "period") and v:
            out.append(f"| {k} | {_esc(v)} |")
    out.append("")
    cited = set()
    if record.legal_bases:
        out += ["## Legal bases", ""]
        by_number = {r.number: r for r in record.references}
        for n in record.legal_bases:
            cited.add(n)
            r = by_number.get(n)
            extra = ", ".join(x for x in (r.kind, r.date, r.issuer) if x) if r else ""
            out.append(f"- {n}" + (f" ({extra})" if extra else ""))
        out.append("")
    others = [r for r in record.references if r.number not in cited]
    if others:
        out += ["## Other references", ""]
        for r in others:
            extra = ", ".join(x for x in (r.kind, r.date, r.issuer) if x)
            out.append(f"- {r.number or '—'}" + (f" ({extra})" if extra else "")
                       + (f": {r.text}" if r.text else ""))
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
            group = f" ({o.group})" if o.group else ""
            out.append(f"- *{o.scope}*{group}: {o.text}"
                       + (f" — **targets:** {targets}" if targets else ""))
        out.append("")
    if record.tasks:
        out += ["## Tasks", "", "| path | task | lead | partners | timeframe |", "|---|---|---|---|---|"]
        for t in record.tasks:
            out.append(f"| {_esc(t.path)} | {_esc(t.title)} | {_esc('; '.join(t.lead) or None)} | "
                       f"{_esc('; '.join(t.partners) or None)} | {_esc(t.timeframe)} |")
        out.append("")
        detailed = [t for t in record.tasks if t.text and t.text.strip()]
        if detailed:
            out += ["### Task content", ""]
            for t in detailed:
                out += [f"**{t.path} {t.title}**", "", t.text.strip(), ""]
    if record.implementation:
        out += ["## Implementation", ""] + [f"{i}. {t}" for i, t in enumerate(record.implementation, 1)] + [""]
    if record.duties:
        out += ["## Duties", ""]
        for u in record.duties:
            where = f" ({u.path})" if u.path else ""
            agency = f"**{u.agency}**" if u.agency and u.agency.strip() else "—"
            out.append(f"- {agency}{where}: {u.text}")
        out.append("")
    funding = [s for s in record.sections if s.role == "funding"]
    if funding:
        out += ["## Funding", ""]
        for s in funding:
            out.append("  " * max(0, s.level - 1) + f"- {s.marker} {s.heading}")
        out.append("")
    if record.sections:
        out += ["## Outline", ""]
        for s in record.sections:
            out.append("  " * max(0, s.level - 1) + f"- {s.marker} {s.heading} *({s.role})*")
        out.append("")
    if record.signature:
        s = record.signature
        shown = [s.get(k) for k in ("authority", "on_behalf", "title", "name") if s.get(k)]
        shown += [str(v) for k, v in s.items()
                  if k not in ("authority", "on_behalf", "title", "name") and v]
        out += ["## Signature", "", " / ".join(shown), ""]
    if record.recipients:
        out += ["## Recipients", ""] + [f"- {r}" for r in record.recipients] + [""]
    data = record.to_dict()
    for field, value in data.items():  # fields this renderer does not know (yet)
        if field in _RENDERED or field in _NOT_RENDERED or value in (None, "", [], {}):
            continue
        out += [f"## {field.replace('_', ' ').capitalize()}", ""] + _generic(value) + [""]
    if record.warnings:
        out += ["## Warnings", ""] + [f"- {w}" for w in record.warnings] + [""]
    if record.provenance:
        out += ["## Provenance", "", f"- record id: {record.id} (schema {record.schema_version})"]
        out += _generic(record.provenance) + [""]
    return "\n".join(out)
