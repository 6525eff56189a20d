"""Model tools: the converters that wrote the shipped ONNX files, the manifest of their
digests, dlib compatibility measurements, and the spoof and closed-eye photos."""
