"""The catalogue of models: which weight files each needs, where they live and come from.

The default models (MediaPipe's detector, face mesh and iris; dlib's ResNet as ONNX) ship
with the program in ``resources/models`` (``core.recognition.model_files`` checks their
digests). Any other model's files are the administrator's to place: the kiosk never
downloads one; deepface reads them from ``<DEEPFACE_HOME>/.deepface/weights``, and
``core.recognition.staging`` checks and stages them. Nothing here imports deepface or
TensorFlow.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["recognition", "detector", "landmarks"]
Backend = Literal["tensorflow", "onnx"]

# The sizes of face-recognition-models 0.3.0's files (the ``dlib`` extra, for dlib's own
# engine): a staged file of another size is a truncated copy.
PACKAGED_SIZES: dict[str, int] = {
    "dlib_face_recognition_resnet_model_v1.dat": 22_466_066,
}
DLIB_RESNET = "dlib_face_recognition_resnet_model_v1.dat"
SHIPPED = "ships with the program (resources/models)"
_MEDIAPIPE_LICENCE = "Apache-2.0 (Google's MediaPipe models; resources/models/mediapipe)"


@dataclass(frozen=True)
class WeightFile:
    name: str  # path under the weights dir
    url: str = ""  # where an administrator can get it (never fetched by the kiosk)
    packaged: bool = False  # staged from face-recognition-models (the dlib extra)
    min_bytes: int = 1  # smaller than this is certainly a broken copy


@dataclass(frozen=True)
class ModelSpec:
    name: str
    kind: Kind
    files: tuple[WeightFile, ...] = ()
    packages: tuple[str, ...] = ()  # importable modules it needs
    note: str = ""
    # The weights' licence as their publisher states it ("" = not recorded here): what an
    # operator must know before a commercial deployment (`main.py models`, the README).
    licence: str = ""


def _h5(name: str, url: str, min_mb: float = 1) -> WeightFile:
    return WeightFile(name, url, min_bytes=int(min_mb * 2**20))


_REL = "https://github.com/serengil/deepface_models/releases/download/v1.0/"
_DAVIS_KING = "Davis King released it into the public domain"


def _recognition_specs(backend: Backend) -> list[ModelSpec]:
    tf = backend == "tensorflow"
    ext = ".h5" if tf else ".onnx"
    pkgs: tuple[str, ...] = ("tensorflow", "tf_keras") if tf else ("onnxruntime",)

    def one(name: str, file: str, min_mb: float, url: str = "") -> ModelSpec:
        return ModelSpec(name, "recognition", (_h5(file, url or _REL + file, min_mb),), pkgs)

    return [
        ModelSpec(
            "Dlib",
            "recognition",
            (),
            ("onnxruntime",),
            f"default; 128-d ResNet on onnxruntime, {SHIPPED}",
            f"CC0-1.0 ({_DAVIS_KING}; resources/models/dlib)",
        ),
        one("VGG-Face", "vgg_face_weights" + ext, 100),
        one("Facenet", "facenet_weights" + ext, 20),
        one("Facenet512", "facenet512_weights" + ext, 20),
        one("OpenFace", "openface_weights" + ext, 10 if tf else 5),
        one("DeepFace", "VGGFace2_DeepFace_weights_val-0.9034" + ext, 100),
        one("DeepID", ("deepid_keras_weights" if tf else "deepid_weights") + ext, 0.5),
        one("ArcFace", "arcface_weights" + ext, 50),
        one(
            "GhostFaceNet",
            "ghostfacenet_v1" + ext,
            10,
            "https://github.com/HamadYA/GhostFaceNets/releases/download/v1.2/"
            "GhostFaceNet_W1.3_S1_ArcFace.h5"
            if tf
            else "",
        ),
        ModelSpec(
            "SFace",
            "recognition",
            (
                _h5(
                    "face_recognition_sface_2021dec.onnx",
                    "https://github.com/opencv/opencv_zoo/raw/main/models/"
                    "face_recognition_sface/face_recognition_sface_2021dec.onnx",
                    10,
                ),
            ),
            ("onnxruntime",),
            licence="Apache-2.0 (OpenCV Zoo)",
        ),
        ModelSpec(
            "Buffalo_L",
            "recognition",
            (_h5("buffalo_l/webface_r50.onnx", "", 100),),
            ("insightface", "onnxruntime"),
        ),
    ]


_YOLO = {
    "yolov8n": "yolov8n-face.pt",
    "yolov8m": "yolov8m-face.pt",
    "yolov8l": "yolov8l-face.pt",
    "yolov11n": "yolov11n-face.pt",
    "yolov11s": "yolov11s-face.pt",
    "yolov11m": "yolov11m-face.pt",
    "yolov11l": "yolov11l-face.pt",
    "yolov12n": "yolov12n-face.pt",
    "yolov12s": "yolov12s-face.pt",
    "yolov12m": "yolov12m-face.pt",
    "yolov12l": "yolov12l-face.pt",
}


def _detector_specs() -> list[ModelSpec]:
    haar = "https://github.com/opencv/opencv/raw/4.9.0/data/haarcascades/"
    specs = [
        ModelSpec(
            "mediapipe",
            "detector",
            (),
            ("onnxruntime",),
            f"default; BlazeFace short/full range + face mesh, {SHIPPED}",
            _MEDIAPIPE_LICENCE,
        ),
        ModelSpec(
            "dlib",
            "detector",
            (),
            ("dlib",),
            "HOG detector (the dlib extra: needs a CPU with AVX); landmarks from the face mesh",
            "BSL-1.0 (the HOG detector, part of dlib-bin)",
        ),
        ModelSpec(
            "mtcnn",
            "detector",
            (),
            ("mtcnn", "tensorflow"),
            "weights ship inside the mtcnn package; imports TensorFlow",
        ),
        ModelSpec(
            "opencv",
            "detector",
            (
                WeightFile(
                    "haarcascade_frontalface_default.xml",
                    haar + "haarcascade_frontalface_default.xml",
                ),
                WeightFile("haarcascade_eye.xml", haar + "haarcascade_eye.xml"),
            ),
            ("cv2",),
            "OpenCV 5 wheels ship no Haar cascades",
        ),
        ModelSpec(
            "ssd",
            "detector",
            (
                WeightFile(
                    "deploy.prototxt",
                    "https://github.com/opencv/opencv/raw/3.4.0/samples/dnn/face_detector/deploy.prototxt",
                ),
                WeightFile(
                    "res10_300x300_ssd_iter_140000.caffemodel",
                    "https://github.com/opencv/opencv_3rdparty/raw/dnn_samples_face_detector_20170830/"
                    "res10_300x300_ssd_iter_140000.caffemodel",
                    min_bytes=2**20,
                ),
            ),
            ("cv2",),
        ),
        ModelSpec(
            "yunet",
            "detector",
            (
                WeightFile(
                    "face_detection_yunet_2023mar.onnx",
                    "https://github.com/opencv/opencv_zoo/raw/main/models/face_detection_yunet/"
                    "face_detection_yunet_2023mar.onnx",
                    min_bytes=100_000,
                ),
            ),
            ("cv2",),
            licence="MIT (OpenCV Zoo)",
        ),
        ModelSpec(
            "centerface",
            "detector",
            (
                WeightFile(
                    "centerface.onnx",
                    "https://github.com/Star-Clouds/CenterFace/raw/master/models/onnx/centerface.onnx",
                    min_bytes=1_000_000,
                ),
            ),
            ("cv2",),
        ),
        ModelSpec(
            "retinaface",
            "detector",
            (_h5("retinaface.h5", _REL + "retinaface.h5", 50),),
            ("retinaface", "tensorflow"),
        ),
        ModelSpec("fastmtcnn", "detector", (), ("facenet_pytorch", "torch")),
    ]
    for name, file in _YOLO.items():
        specs.append(
            ModelSpec(
                name,
                "detector",
                (WeightFile(file, min_bytes=1_000_000),),
                ("ultralytics",),
            )
        )
    return specs


BLINK_LANDMARKS = ModelSpec(
    "mediapipe-iris",
    "landmarks",
    (),
    ("onnxruntime",),
    f"eyelid outlines for blink liveness, {SHIPPED}",
    _MEDIAPIPE_LICENCE,
)


def backend_engine() -> Backend:
    """The engine deepface will run on, decided the way deepface decides it (no import)."""
    enforced = os.environ.get("DEEPFACE_BACKEND_ENGINE", "").strip().lower()
    if enforced == "onnx":
        return "onnx"
    if enforced == "tensorflow" or importable("tensorflow"):
        return "tensorflow"
    return "onnx"


def model_specs(backend: Backend | None = None) -> list[ModelSpec]:
    return [*_recognition_specs(backend or backend_engine()), *_detector_specs(), BLINK_LANDMARKS]


def configured(model_name: str, detector: str, blink: bool) -> list[tuple[str, Kind]]:
    """The (name, kind) of each model a configuration runs: its recognition model, its
    detector, and the landmarks blink liveness reads. Doctor's checks (weights, CPU) ask
    this, so a change of the defaults reaches both."""
    wanted: list[tuple[str, Kind]] = [(model_name, "recognition"), (detector, "detector")]
    if blink:
        wanted.append((BLINK_LANDMARKS.name, "landmarks"))
    return wanted


def find_spec(name: str, kind: Kind, backend: Backend | None = None) -> ModelSpec:
    for spec in model_specs(backend):
        if spec.name == name and spec.kind == kind:
            return spec
    known = ", ".join(s.name for s in model_specs(backend) if s.kind == kind)
    raise ValueError(f"unknown {kind} model {name!r}; known: {known}")


def weights_dir(deepface_home: Path) -> Path:
    """Where deepface looks for weights when DEEPFACE_HOME is ``deepface_home``."""
    return deepface_home / ".deepface" / "weights"


def packaged_dir() -> Path | None:
    """The folder of face-recognition-models' files, found without importing it."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "models"


def importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False
