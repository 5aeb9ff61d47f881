"""STUB (owned by the kb helper): actor knowledge base."""


def load_kb(key: str = "default"):
    return None
