"""Face recognition: the models, the frame pipeline, enrollment and evaluate.

Importing this package (or ``config``/``weights``) is cheap and never imports deepface or
TensorFlow; only ``deepface_bridge`` does, inside functions.

- ``loader``: the model loader thread (main.py starts it first) and its published state;
  ``models``: building the models once per process; ``model_files``: the shipped models and
  their digests; ``deepface_bridge``: deepface itself (optional models), never downloading.
- ``pipeline``: frame → detection (``detect``: ``blazeface`` and ``face_mesh``, gated by
  ``motion`` while nobody is in view) → quality → liveness (``iris`` and ``liveness`` for a
  blink, ``antispoof``) → embedding (``embed``, ``face_chip``) → match (``gallery``) → vote.
- ``enroll``: photos or camera frames → templates; ``evaluate``: accuracy on a labelled set.
"""
