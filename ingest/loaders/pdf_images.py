"""Whether a PDF page draws any image, the only thing OCR could still read on a page without a text layer."""

from __future__ import annotations

from pypdf import PageObject
from pypdf.generic import DictionaryObject

# Form XObjects nest; real documents go two or three deep, and a cycle must not recurse for ever.
MAX_FORM_DEPTH = 8


def _resources_have_image(resources: object, depth: int, seen: set[int]) -> bool:
    if depth > MAX_FORM_DEPTH or not isinstance(resources, DictionaryObject):
        return False
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else None
    if not isinstance(xobjects, DictionaryObject):
        return False
    for ref in xobjects.values():
        xobject = ref.get_object()
        if not isinstance(xobject, DictionaryObject) or id(xobject) in seen:
            continue
        seen.add(id(xobject))
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            return True
        if subtype == "/Form":
            inner = xobject.get("/Resources")
            if _resources_have_image(inner.get_object() if inner is not None else None, depth + 1, seen):
                return True
    return False


def page_has_images(page: PageObject) -> bool:
    """True when the page's resources hold an image (directly or in a form) or its content has an inline image.
    A page that cannot be inspected counts as having one: refusing a document is only right when sure."""
    try:
        resources = page.get("/Resources")
        if _resources_have_image(resources.get_object() if resources is not None else None, 0, set()):
            return True
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
        return b"BI" in data and b"ID" in data
    except Exception:  # damaged resources: keep the document rather than guess it empty
        return True
