"""doctor names a CPU without AVX before a model built for AVX dies with 'Illegal instruction',
and says a CPU without AVX is fine when the configured models need none."""

from __future__ import annotations

from types import SimpleNamespace

from core.doctor.cpu import avx_modules_used, cpu_report, verdict
from core.doctor.report import check_cpu
from tests.support.cli import run_main

# Trimmed from real /proc/cpuinfo files.
SANDY_BRIDGE = """processor\t: 0
model name\t: Intel(R) Core(TM) i5-2400 CPU @ 3.10GHz
flags\t\t: fpu vme de pse tsc msr sse sse2 ssse3 sse4_1 sse4_2 popcnt aes xsave avx
processor\t: 1
model name\t: Intel(R) Core(TM) i5-2400 CPU @ 3.10GHz
flags\t\t: fpu vme de pse tsc msr sse sse2 ssse3 sse4_1 sse4_2 popcnt aes xsave avx
"""
CELERON_J1900 = """processor\t: 0
model name\t: Intel(R) Celeron(R) CPU  J1900  @ 1.99GHz
flags\t\t: fpu vme de pse tsc msr sse sse2 ssse3 sse4_1 sse4_2 movbe popcnt aes rdrand
"""


def test_a_cpu_without_avx_fails_when_a_configured_model_needs_it() -> None:
    check = check_cpu(cpu_report(CELERON_J1900, "x86_64"), used={"dlib"})
    assert check.status == "fail"
    assert "Celeron(R) CPU  J1900" in check.detail and "has no AVX" in check.detail
    assert "dlib-bin" in check.detail and "Illegal instruction" in check.detail
    assert "main.py models" in check.fix and "-cpu host" in check.fix


def test_a_cpu_without_avx_is_fine_when_the_models_need_none() -> None:
    celeron = cpu_report(CELERON_J1900, "x86_64")
    check = check_cpu(celeron, used=set())
    assert check.status == "ok" and "fine, the configured models need none" in check.detail
    # An optional extra built for AVX, installed but not chosen: a note, not a failure.
    noted = verdict(celeron, used=(), installed=("dlib", "tensorflow"))
    assert noted.status == "ok"
    assert "dlib-bin, TensorFlow (installed) would stop it" in noted.detail
    assert "installed" not in verdict(celeron, used=(), installed=()).detail


def test_a_cpu_with_avx_passes_and_others_are_not_judged_by_it() -> None:
    assert check_cpu(cpu_report(SANDY_BRIDGE, "x86_64"), used={"dlib"}).status == "ok"
    arm = check_cpu(cpu_report("", "aarch64"), used={"dlib"})
    assert arm.status == "ok" and "does not apply" in arm.detail
    unknown = cpu_report("processor : 0\n", "x86_64")
    unsure = check_cpu(unknown, used={"dlib"})
    assert unsure.status == "warn" and "dlib-bin needs AVX" in unsure.fix
    assert check_cpu(unknown, used=set()).status == "ok"


def test_what_needs_avx_follows_the_configured_models() -> None:
    def used(**settings: str) -> set[str]:
        return avx_modules_used(SimpleNamespace(**settings))

    assert used(model_name="SFace", detector="opencv", liveness="passive") == set()
    assert used(model_name="SFace", detector="mtcnn", liveness="off") == {"tensorflow"}
    assert used(model_name="SFace", detector="dlib", liveness="off") == {"dlib"}
    # the defaults, blink and passive liveness included, need no AVX
    assert used(model_name="Dlib", detector="mediapipe", liveness="both") == set()


def test_doctor_reports_this_machines_cpu() -> None:
    done = run_main("doctor", "--json")
    assert '"name": "cpu"' in done.stdout
