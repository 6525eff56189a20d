"""Short confirmation sounds, without QtMultimedia (PySide6-Essentials lacks it).

The tones are synthesised with the standard library into small WAV files in the user's
cache folder the first time they are needed, and played by the system's command-line
player (PipeWire, PulseAudio or ALSA) as a detached process, so the GUI never waits.
Without a player the window falls back to the desktop bell; without any audio (CI, a kiosk
with no speaker) nothing happens and nothing fails.
"""

from __future__ import annotations

import enum
import io
import logging
import math
import shutil
import struct
import wave
from pathlib import Path

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

RATE = 22_050
PLAYERS = ("pw-play", "paplay", "aplay")


class Tone(enum.Enum):
    RECORDED = "recorded"  # two rising notes: done
    LATE = "late"  # recorded, with a notice: three notes
    REFUSED = "refused"  # one low note: look at the screen


_NOTES: dict[Tone, tuple[tuple[float, float], ...]] = {
    Tone.RECORDED: ((880.0, 0.11), (1318.5, 0.16)),
    Tone.LATE: ((880.0, 0.11), (1318.5, 0.11), (880.0, 0.18)),
    Tone.REFUSED: ((392.0, 0.28),),
}


def wav_bytes(tone: Tone, volume: float = 0.35) -> bytes:
    """A mono 16-bit WAV of the tone, with short fades so it never clicks."""
    samples: list[int] = []
    for frequency, seconds in _NOTES[tone]:
        count = int(RATE * seconds)
        fade = int(RATE * 0.012)
        for i in range(count):
            envelope = min(1.0, i / fade, (count - i) / fade)
            value = volume * envelope * math.sin(2 * math.pi * frequency * i / RATE)
            samples.append(int(value * 32767))
        samples.extend([0] * int(RATE * 0.02))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return buffer.getvalue()


class Sounds:
    def __init__(self, enabled: bool, cache_dir: Path | None = None) -> None:
        self.enabled = enabled
        self._cache_dir = cache_dir
        self._player: str | bool | None = False  # False: not looked up yet
        self._files: dict[Tone, Path] = {}

    def play(self, tone: Tone) -> None:
        if not self.enabled:
            return
        try:
            player = self._find_player()
            if player is None:
                QApplication.beep()
                return
            QProcess.startDetached(player, [str(self._file(tone))])
        except Exception:  # a sound must never break a record on screen
            log.debug("could not play %s", tone.value, exc_info=True)

    def _find_player(self) -> str | None:
        if self._player is False:
            self._player = next((p for p in map(shutil.which, PLAYERS) if p), None)
        return self._player if isinstance(self._player, str) else None

    def _file(self, tone: Tone) -> Path:
        if tone not in self._files:
            folder = self._cache_dir or _default_cache_dir()
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{tone.value}.wav"
            data = wav_bytes(tone)
            if not path.is_file() or path.read_bytes() != data:
                path.write_bytes(data)
            self._files[tone] = path
        return self._files[tone]


def _default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("asistencia")) / "sounds"
