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


def list_landing_zone(raw_dir: str) -> list[LandedFile]:
    """Every file under `raw_dir` at any depth, in path order (an absent folder: none).
    Reads names, sizes and modification times only."""
    root = raw_dir.rstrip("/") or "/"
    files = []
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in names:
            full = os.path.join(folder, name)
            if not os.path.isfile(full):
                continue
            relative = Path(os.path.relpath(full, root)).as_posix()
            stat = os.stat(full)
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
