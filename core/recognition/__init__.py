"""Face recognition: the models, the frame pipeline, enrollment and evaluate.

Importing this package (or ``config``/``weights``) is cheap and never imports deepface or
TensorFlow; only ``deepface_bridge`` does, inside functions.

- ``loader``: the model loader thread (main.py starts it first) and its published state;
  ``models``: building the models once per process; ``deepface_bridge``: deepface itself,
  never downloading; ``onnx_check``: the ONNX engine proved equal to dlib's.
- ``pipeline``: frame → detection (``detect``, gated by ``motion`` while nobody is in
  view) → quality → liveness → embedding (``embed``) → match (``gallery``) → vote.
- ``enroll``: photos or camera frames → templates; ``evaluate``: accuracy on a labelled set.
"""
