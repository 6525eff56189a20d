"""Developer tools, never part of the product (a packaged kiosk holds none of this; the
product never imports them). They use the product only through its own entry points.

- ``tools.harness``: what the tests and the screenshots drive the kiosk with (a scripted
  runtime, scenes and videos of people walking up, ``main.py`` in a child process);
- ``tools.bench``: the performance suite (``main.py bench``), the load run and the soak;
- ``tools.release``: checks of what ships (the bundle, the image, a CPU without AVX, ARM64
  wheels, the locks, the ICU stub);
- ``tools.models``: how the shipped model files were made and are checked (converters,
  the manifest, dlib compatibility, spoof and closed-eye photos).
"""
