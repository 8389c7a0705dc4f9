from pathlib import Path


def fetch_to_file(url: str, *, max_bytes: int, timeout: float, suffix: str = "") -> Path:
    raise NotImplementedError
