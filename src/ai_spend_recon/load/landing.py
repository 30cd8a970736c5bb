"""The landing zone as a list of files, each with its version and the source that reads it.
Engine-neutral: both loaders take their work from here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ai_spend_recon.load.sources import LANDED_SOURCES, LandedSource


@dataclass(frozen=True)
class LandedFile:
    """A file under the landing zone. `path` is the landing folder as it was given, a slash
    and the path below it: the name every table and message uses for the file."""

    path: str
    relative_path: str
    size_bytes: int
    modified_ms: int
    source: LandedSource | None
    reader: str | None

    @property
    def version(self) -> str:
        """Changes when the file is re-landed: its size and modification time."""
        return f"{self.size_bytes}@{self.modified_ms}"

    @property
    def is_hidden(self) -> bool:
        """A file whose name starts with a dot (.DS_Store, a file being written): ignored."""
        return self.relative_path.rsplit("/", 1)[-1].startswith(".")

    @property
    def is_gzipped(self) -> bool:
        return self.path.lower().endswith(".gz")


class LandingError(OSError):
    """A landing zone that cannot be listed: nothing may be loaded, replaced or forgotten."""


def list_landing_zone(raw_dir: str) -> list[LandedFile]:
    """Every file under `raw_dir` at any depth, in path order, following symbolic links.
    Reads names, sizes and modification times only. An absent folder has no files (a
    company may use one provider only); a folder that exists but cannot be listed (no
    permission, a symbolic-link loop, a file where the folder should be) raises
    LandingError naming it, since an empty listing would forget every loaded file."""
    root = raw_dir.rstrip("/") or "/"
    if not os.path.lexists(root):
        return []
    if not os.path.isdir(root):
        raise LandingError(f"The landing zone {root} is not a folder that can be listed.")

    def refuse(error: OSError) -> None:
        raise LandingError(
            f"The landing zone cannot be listed: {error.filename}: {error.strerror}."
            " Nothing was loaded; fix the folder or its permissions and run again."
        )

    files = []
    visited: set[str] = set()
    for folder, subfolders, names in os.walk(root, onerror=refuse, followlinks=True):
        real = os.path.realpath(folder)
        if real in visited:
            raise LandingError(
                f"The landing zone has a symbolic-link loop at {folder}: it leads back to"
                f" {real}. Nothing was loaded; remove the loop and run again."
            )
        visited.add(real)
        subfolders.sort()
        for name in names:
            full = os.path.join(folder, name)
            try:
                stat = os.stat(full)
            except OSError as error:
                refuse(error)
            if not os.path.isfile(full):
                continue
            relative = Path(os.path.relpath(full, root)).as_posix()
            source, reader = _source_of(relative)
            files.append(
                LandedFile(
                    path=f"{root}/{relative}",
                    relative_path=relative,
                    size_bytes=stat.st_size,
                    modified_ms=stat.st_mtime_ns // 1_000_000,
                    source=source,
                    reader=reader,
                )
            )
    return sorted(files, key=lambda f: f.path)


def _source_of(relative_path: str) -> tuple[LandedSource | None, str | None]:
    if relative_path.rsplit("/", 1)[-1].startswith("."):
        return None, None
    for source in LANDED_SOURCES:
        reader = source.reader_for(relative_path)
        if reader:
            return source, reader
    return None, None
