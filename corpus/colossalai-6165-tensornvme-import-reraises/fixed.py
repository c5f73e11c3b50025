import warnings

try:
    from tensornvme.async_file_io import AsyncFileWriter
except Exception:
    warnings.warn("tensornvme is not installed, so asynchronous checkpoint writes are unavailable. Install tensornvme to use them.")


def save_async(path, payload):
    with open(path, "wb") as f:
        writer = AsyncFileWriter(f, 8)
        writer.write(payload)
        writer.synchronize()
