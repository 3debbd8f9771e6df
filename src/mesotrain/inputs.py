"""How a build names its inputs: a file by the digest of its bytes, mesotrain's templates by a prefix.

Kept apart (and light) so the loader, the renderers and the build engine key files the
same way without importing one another.
"""
from __future__ import annotations

import hashlib

TEMPLATES = "mesotrain:templates/"
"""How a page names mesotrain's own templates among the files it depends on."""


def file_digest(data: bytes) -> str:
    """A course file's key: the digest of its bytes."""
    return hashlib.sha256(data).hexdigest()[:32]
