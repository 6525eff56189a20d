"""Recognition commands: enroll from photos, list models, evaluate accuracy and liveness.

(``bench`` is a developer tool: main.py registers it and runs tools/bench/suite.py.)

Each command that needs the models starts the loader first (step 2 of the start-up order),
then opens the store, then waits for the models: loading overlaps the database work.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli.common import SubParsers
from core.context import AppContext
from core.errors import UsageError
from core.i18n import text
from core.recognition.config import RecognitionConfig
from core.store import audit

MODELS_TIMEOUT_S = 300


def register(subparsers: SubParsers) -> None:
    enroll = subparsers.add_parser(
        "enroll", help="create or update an employee and enroll faces from photos"
    )
    enroll.add_argument("--code", required=True)
    enroll.add_argument("--name", help="needed when the employee does not exist yet")
    enroll.add_argument("photos", nargs="+", type=Path, metavar="PHOTO")
    # main.py starts the model loader first for a command that ``needs`` the models.
    enroll.set_defaults(handler=enroll_command, needs=("models",))

    models = subparsers.add_parser(
        "models", help="stage the packaged weights and list every model as available or missing"
    )
    models.add_argument("--json", action="store_true")
    models.set_defaults(handler=models_command)

    evaluate = subparsers.add_parser("evaluate", help="recognition accuracy on a labelled set")
    evaluate.add_argument(
        "--dataset",
        required=True,
        type=Path,
        help="a folder with labels.csv, or one sub-folder per person",
    )
    evaluate.add_argument("--json", action="store_true")
    evaluate.add_argument(
        "--pipeline",
        action="append",
        default=[],
        metavar="NAME",
        help="the detector and alignment to measure (default: the configured one); "
        "name two (NAME,NAME or the option twice) to compare them in one run",
    )
    evaluate.add_argument(
        "--perturb",
        nargs="?",
        const="all",
        metavar="LIST",
        help="also probe perturbed copies of the photos: all (the default) or some of "
        "dim40,backlight,motion_blur,roll+25,roll-25,face48",
    )
    evaluate.set_defaults(handler=evaluate_command)

    liveness = subparsers.add_parser(
        "evaluate-liveness", help="passive liveness: apcer and bpcer on real/ and spoof/ faces"
    )
    liveness.add_argument(
        "--dataset",
        required=True,
        type=Path,
        help="a folder with real/ and spoof/ sub-folders of images",
    )
    liveness.add_argument(
        "--threshold", type=float, help="spoof when the real score is under it (default: shipped)"
    )
    liveness.add_argument("--json", action="store_true")
    liveness.set_defaults(handler=evaluate_liveness_command)


def _config(ctx: AppContext) -> RecognitionConfig:
    return RecognitionConfig.from_settings(ctx.settings)


def enroll_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.people.faces import FaceEnrollment

    missing = [str(p) for p in args.photos if not p.is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    store = ctx.store  # while the models load (main.py started the loader)
    models = ctx.model_loader().start().wait_ready(MODELS_TIMEOUT_S)
    enrollment = FaceEnrollment(store, models, _config(ctx), ctx.settings.kiosk_id)
    report = enrollment.enroll_photos(audit.cli_actor(), args.code, args.name, args.photos)
    print(
        text(
            "enroll.enrolled",
            saved=report.saved,
            code=report.employee_code,
            name=report.employee_name,
            templates=report.total_templates,
        )
    )
    for line in report.refusals:
        print("  " + text("enroll.refused", refusal=line))
    return 0


def models_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.recognition.staging import run_models

    return run_models(ctx.paths.models, as_json=args.json)


def evaluate_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.recognition.evaluate import run_evaluate

    pipelines = [n.strip() for spec in args.pipeline for n in spec.split(",") if n.strip()]
    return run_evaluate(
        args.dataset,
        _config(ctx),
        ctx.paths.models,
        as_json=args.json,
        pipelines=pipelines,
        perturb=args.perturb,
    )


def evaluate_liveness_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.recognition.evaluate_liveness import run_evaluate_liveness

    return run_evaluate_liveness(
        args.dataset, _config(ctx), ctx.paths.models, threshold=args.threshold, as_json=args.json
    )
