"""The actor registry: one record per real-world actor, built from a document's mentions and merged across
documents by ``actor_id``.

A record keeps the names the texts used (aliases), the offices the texts gave (roles with the document and its
date as source) and, for people the knowledge base knows, their dated offices (source "kb").
"""
from __future__ import annotations

from ..records import ActorRecord, ActorRef, Document, Mention, Role
from .knowledge import KnowledgeBase

# Mentions whose words are a name of the actor (not "he", "the two", "the Russian president").
NAMING = {"name", "kb", "title", "counterpart", "surname", "demonym", "capital"}


def records_from_mentions(mentions: list[Mention], document: Document, kb: KnowledgeBase | None) -> list[ActorRecord]:
    """One record per distinct actor_id named in the document."""
    records: dict[str, ActorRecord] = {}
    for mention in mentions:
        for ref in mention.members or [mention.actor]:
            if not ref.actor_id:
                continue
            record = records.get(ref.actor_id) or _new_record(ref, document, kb)
            records[ref.actor_id] = record
            _add_alias(record, ref, mention)
            if not mention.members:  # "the presidents of Russia and Iran" names no one office-holder's title
                _add_context_role(record, ref, mention, document)
    return list(records.values())


def _new_record(ref: ActorRef, document: Document, kb: KnowledgeBase | None) -> ActorRecord:
    country = ref.code if ref.kind in ("state", "person") else None
    record = ActorRecord(ref.actor_id, ref.kind, ref.name, [], country, ref.sector if ref.kind != "state" else None,
                         [], [document.id])
    if kb is not None and ref.kind == "person":
        person = kb.person(ref.actor_id.split(":", 1)[1])
        if person is not None:
            record.country = person.country or record.country
            record.roles = [Role(o.title, o.code or person.country, o.sector, o.start, o.end, "kb")
                            for o in person.offices]
    if kb is not None and ref.kind == "group":
        record.country = (kb.groups.get(ref.code) or {}).get("country")
    return record


def _add_alias(record: ActorRecord, ref: ActorRef, mention: Mention) -> None:
    if mention.how not in NAMING or mention.members:
        return
    alias = ref.text if ref.kind == "person" else mention.text
    if ref.kind == "person" and not _looks_like_name(alias):
        return
    if alias and alias != record.name and alias not in record.aliases:
        record.aliases.append(alias)


def _looks_like_name(text: str) -> bool:
    """ "Gharaei Ashtiani" is a name; "his Russian counterpart" is not."""
    words = [w for w in text.replace("-", " ").split() if w[:1].isalpha()]
    return bool(words) and all(w[0].isupper() or w in ("al", "bin", "von", "der", "de") for w in words)


def _add_context_role(record: ActorRecord, ref: ActorRef, mention: Mention, document: Document) -> None:
    if ref.kind != "person" or not mention.role:
        return
    date = document.reference_date
    role = Role(mention.role, ref.code, ref.sector, date, date, document.id)
    if not any(_same_role(role, r) for r in record.roles):
        record.roles.append(role)


def _same_role(a: Role, b: Role) -> bool:
    return (a.title.lower(), a.country, a.source, a.start) == (b.title.lower(), b.country, b.source, b.start)


def merge_records(old: ActorRecord, new: ActorRecord) -> ActorRecord:
    """The union of two records of one actor: aliases, roles and documents, the fuller name for people."""
    name, other = old.name, new.name
    if old.kind == "person" and len(new.name) > len(old.name):
        name, other = new.name, old.name
    aliases = [a for a in dict.fromkeys([*old.aliases, other, *new.aliases]) if a and a != name]
    roles = list(old.roles)
    for role in new.roles:
        if not any(_same_role(role, r) for r in roles):
            roles.append(role)
    return ActorRecord(old.actor_id, old.kind, name, aliases, old.country or new.country, old.sector or new.sector,
                       roles, list(dict.fromkeys([*old.doc_ids, *new.doc_ids])))
