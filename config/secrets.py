"""The embedded mode's secret key: made once on this machine, kept in var/, never a constant."""

import os
import secrets
from pathlib import Path


def local_secret_key(path: Path) -> str:
    """Read the key at ``path``, creating it (mode 0600) on first use."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    # Written aside, then hard-linked into place: linking fails if another process (daphne and
    # the worker start together) won the race, and a reader never sees a half-written file.
    key = secrets.token_urlsafe(50)
    draft = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    try:
        os.link(draft, path)
    except FileExistsError:
        key = path.read_text().strip()
    finally:
        draft.unlink()
    return key
