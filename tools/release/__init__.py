"""Release checks: what ships is run as shipped (``make bundle-test``, ``make image-test``,
``make noavx-test``, ``make arm64-resolve``), and the locks and the ICU stub are made here."""
