"""A ``main.py doctor`` check: are the configured models' weights in place?

``register()`` adds it to doctor's EXTRA_CHECKS (call it once from the composition root).
Nothing is loaded or staged here; packaged files that are not staged yet count as present,
because the loader stages them on start. The models shipped with the program
(``resources/models``) are checked against their digests.
"""

from __future__ import annotations

from core.context import AppContext
from core.doctor.report import EXTRA_CHECKS, Check
from core.recognition import model_files
from core.recognition.config import RecognitionConfig
from core.recognition.staging import availability
from core.recognition.weights import configured, find_spec, weights_dir


def check_recognition_weights(ctx: AppContext) -> Check:
    config = RecognitionConfig.from_settings(ctx.settings)
    home = ctx.paths.models
    wanted = configured(config.model_name, config.detector, config.needs_blink)
    problems = list(model_files.problems())
    shipped_broken = bool(problems)
    files_missing = packages_missing = False
    passive_missing = []
    from core.recognition.antispoof import model_paths as antispoof_files

    if config.needs_passive:
        # shipped with the program (resources/models/antispoof), not staged in the data dir
        passive_missing = [p for p in antispoof_files() if not p.is_file()]
        if passive_missing:
            problems.append(
                "passive liveness (FasNet anti-spoofing) missing: "
                + ", ".join(str(p) for p in passive_missing)
            )
    for name, kind in wanted:
        try:
            spec = find_spec(name, kind)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        row = availability(spec, home)
        if not row.available:
            problems.append(f"{kind} {name}: {row.problem}")
            files_missing |= bool(row.missing_paths or row.damaged_paths)
            packages_missing |= bool(row.missing_packages)
    if problems:
        fixes = []
        if shipped_broken:
            fixes.append("reinstall Asistencia: a model file it ships is missing or changed")
        if passive_missing:
            fixes.append(
                "reinstall Asistencia (the files ship with it; "
                "tools/models/fasnet_convert.py makes them again in a checkout), "
                "or choose liveness = blink or off"
            )
        if files_missing or not (packages_missing or passive_missing or shipped_broken):
            fixes.append(
                "place the files at the paths shown (`python main.py models` lists them "
                "all); the kiosk never downloads models"
            )
        if packages_missing:
            fixes.append("choose a model this install has, or install the packages named")
        return Check("recognition weights", "fail", "; ".join(problems), "; ".join(fixes))
    names = " + ".join(name for name, _ in wanted)
    shipped = len(model_files.load_manifest())
    detail = (
        f"{names} available ({shipped} shipped model files match their digests; "
        f"other weights in {weights_dir(home)})"
    )
    if config.needs_passive:
        detail += f"; FasNet anti-spoofing in {antispoof_files()[0].parent}"
    return Check("recognition weights", "ok", detail)


def register() -> None:
    if check_recognition_weights not in EXTRA_CHECKS:
        EXTRA_CHECKS.append(check_recognition_weights)
