"""Flex Template entry point: ``newsbeam run`` with the template's parameters.

The Flex Template launcher (``FLEX_TEMPLATE_PYTHON_PY_FILE`` in the Dockerfile) runs
``python main.py --name=value ...`` with every template parameter and the pipeline
options it sets itself (``--runner``, ``--project``, ``--region``, ``--temp_location``,
``--template_location``, ...). They all go to ``newsbeam run``, which checks each
of them like any command line.

Two defaults are added when the parameters do not set them: the workers run this same
image (``--sdk_container_image``, from ``NEWSBEAM_IMAGE`` set at build time) and take
Beam from it rather than staging an SDK (``--sdk_location=container``).
"""
from __future__ import annotations

import os
import sys


def arguments(argv: list[str], environ: dict) -> list[str]:
    """The ``newsbeam`` command line for the launcher's arguments."""
    given = {arg.split("=", 1)[0] for arg in argv}
    extra = []
    image = environ.get("NEWSBEAM_IMAGE", "")
    if image and "--sdk_container_image" not in given:
        extra.append(f"--sdk_container_image={image}")
    if "--sdk_location" not in given:
        extra.append("--sdk_location=container")
    return ["run", *argv, *extra]


if __name__ == "__main__":
    from newsbeam.pipeline.cli import main

    sys.exit(main(arguments(sys.argv[1:], dict(os.environ))))
