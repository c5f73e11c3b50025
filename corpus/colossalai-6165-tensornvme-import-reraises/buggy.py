try:
    from tensornvme.async_file_io import AsyncFileWriter
except ModuleNotFoundError:
    raise ModuleNotFoundError("tensornvme is not installed. Install it to use asynchronous checkpoint writes.")


def save_async(path, payload):
    with open(path, "wb") as f:
        writer = AsyncFileWriter(f, 8)
        writer.write(payload)
        writer.synchronize()
