"""Secrets and cryptography: the deployment's keys and secrets file, people's own keys,
sealing faces at rest, argon2id for passwords and PINs, and masking secrets in output."""
