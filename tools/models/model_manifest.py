"""Write ``resources/models/manifest.json``: every shipped model file, its size and sha256.

Run as ``python -m tools.models.model_manifest`` after adding or deliberately replacing a
model file (and its line in that folder's NOTICE.md). ``core.recognition.model_files``
checks each file against this manifest before loading it, and
``tests/recognition/test_model_files.py`` fails when a file, the manifest and the NOTICE
disagree. Standard library only, so the throwaway venv of
``tools/models/mediapipe_convert.py`` can run it too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODELS_ROOT = ROOT / "resources" / "models"
MANIFEST_FORMAT = 1
# what counts as a model file; everything else under resources/models must be a NOTICE.md,
# a LICENSE or the manifest itself
MODEL_SUFFIXES = (".onnx",)
# the licence (SPDX id) of each folder's models, as its NOTICE.md states it
FOLDER_LICENCES = {"antispoof": "Apache-2.0", "dlib": "CC0-1.0", "mediapipe": "Apache-2.0"}


def model_files(root: Path = MODELS_ROOT) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in MODEL_SUFFIXES)


def manifest(root: Path = MODELS_ROOT) -> dict[str, object]:
    files: dict[str, dict[str, object]] = {}
    for path in model_files(root):
        rel = path.relative_to(root).as_posix()
        folder = rel.split("/", 1)[0]
        data = path.read_bytes()
        files[rel] = {
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "licence": FOLDER_LICENCES[folder],
            "notice": f"{folder}/NOTICE.md",
        }
    return {"format": MANIFEST_FORMAT, "files": files}


def write(root: Path = MODELS_ROOT) -> Path:
    path = root / "manifest.json"
    text = json.dumps(manifest(root), indent=2, sort_keys=True) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=MODELS_ROOT)
    args = parser.parse_args(argv)
    print(write(args.root))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
