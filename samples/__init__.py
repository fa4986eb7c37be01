"""Sample inputs bundled with newsbeam: original articles written for the project."""
from importlib import resources


def path() -> str:
    """The folder holding the sample feeds, pages and articles."""
    return str(resources.files(__name__))
