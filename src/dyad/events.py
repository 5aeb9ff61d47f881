"""STUB (owned by the lead): PLOVER events."""


def extract_events(parsed, mentions, document, codebook):
    return []
