"""`N_`: marks a text for translation where it is defined (labels, error messages); it is
translated where it is shown, with the reader's language (`backend.i18n`)."""


def N_(text: str) -> str:
    return text
