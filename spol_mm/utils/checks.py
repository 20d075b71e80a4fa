"""Argument checks shared by the registered classes."""
from typing import Any, Container


def check_choice(name: str, value: Any, choices: Container) -> None:
    """Raise a ``ValueError`` naming the setting unless ``value`` is allowed.

    Args:
        name (str): The setting as the user wrote it, e.g. ``'fusion'`` or
            ``'CUB200WSOLDataset: split'``.
        value: The given value.
        choices (Container): The allowed values.
    """
    if value not in choices:
        raise ValueError(f'{name} must be one of {choices}, got {value!r}')
