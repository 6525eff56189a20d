"""Developer tools: the soak, benchmarks' helpers. Not part of the product (a packaged kiosk
holds none of this); they use the product only through its own entry points."""
