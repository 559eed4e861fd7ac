"""Write a minimal pure-Python wheel: make_wheel.py DIRECTORY NAME VERSION."""
import sys
import zipfile
from pathlib import Path

directory, name, version = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
directory.mkdir(parents=True, exist_ok=True)
dist = f"{name}-{version}.dist-info"
with zipfile.ZipFile(directory / f"{name}-{version}-py3-none-any.whl", "w") as wheel:
    wheel.writestr(f"{name}.py", f"VERSION = {version!r}\n")
    wheel.writestr(f"{dist}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    wheel.writestr(f"{dist}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    wheel.writestr(f"{dist}/RECORD", "")
