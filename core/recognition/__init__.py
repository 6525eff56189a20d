"""Face recognition: model loading, the frame pipeline, enrollment, evaluate and bench.

Importing this package (or ``config``/``weights``) is cheap and never imports deepface or
TensorFlow; only ``loader`` does, inside functions.

Wiring (the composition root):
- start-up: ``shared_loader(RecognitionConfig.from_settings(settings), paths.models).start()``
  first thing; show ``loader.status`` (subscribe) and build the pipeline once
  ``loader.wait_ready()`` returns the ``Models``.
- gallery: ``Gallery.from_templates(models.embedder.dim, models.model_name, rows)`` from the
  store's face_templates; ``gallery.set/add/remove`` after enrollment, erasure or a sync.
- recognition worker: ``RecognitionPipeline(models, gallery, config).process(frame)``; act on
  results with ``new_decision=True``.
- enrollment: ``enroll_images(models, photos, config, gallery=gallery, employee=id)``.
- commands: ``weights.run_models``, ``evaluate.run_evaluate``, ``bench.run_bench``.
"""
