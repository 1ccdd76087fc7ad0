//! Contract tests live under `tests/`; this library is empty on purpose: the crate exists to own them.
