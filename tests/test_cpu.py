"""doctor names a CPU without AVX before the face models die with 'Illegal instruction'."""

from __future__ import annotations

from core.cpu import cpu_report
from core.doctor import check_cpu
from tests.conftest import run_main

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


def test_a_cpu_without_avx_fails_with_what_to_do() -> None:
    check = check_cpu(cpu_report(CELERON_J1900, "x86_64"))
    assert check.status == "fail"
    assert "Celeron(R) CPU  J1900" in check.detail and "has no AVX" in check.detail
    assert "Illegal instruction" in check.detail and "-cpu host" in check.fix


def test_a_cpu_with_avx_passes_and_others_are_not_judged_by_it() -> None:
    assert check_cpu(cpu_report(SANDY_BRIDGE, "x86_64")).status == "ok"
    arm = check_cpu(cpu_report("", "aarch64"))
    assert arm.status == "ok" and "does not apply" in arm.detail
    unknown = check_cpu(cpu_report("processor : 0\n", "x86_64"))
    assert unknown.status == "warn" and "AVX" in unknown.fix


def test_doctor_reports_this_machines_cpu() -> None:
    done = run_main("doctor", "--json")
    assert '"name": "cpu"' in done.stdout
