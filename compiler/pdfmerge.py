"""Merge rendered PDF sections into one document and stamp each page with its overlay page (pypdf).

* Pages, outlines (bookmarks) and form fields come from each section in order; pypdf carries each
  section's fields into one AcroForm. Field names must be unique across the sections: a duplicate
  is refused here, since a reader would tie the two fields' values together.
* Stamping: overlay page *i* (the running header and "Page i of N") becomes a form XObject drawn
  after page *i*'s own content, which is wrapped in ``q``/``Q`` so the page's graphics state cannot
  leak into it. The page's content streams are not decoded or rewritten.
* The document information and the file identifier are set from the inputs, never from the clock
  or a random source, so the bytes are reproducible.
"""

from __future__ import annotations

import io


class MergeError(ValueError):
    """The sections cannot be merged into one valid document (a techpack bug)."""


class Merged:
    def __init__(self, sections: list[bytes]):
        from pypdf import PdfReader, PdfWriter  # noqa: PLC0415
        from pypdf.generic import ArrayObject, IndirectObject, NameObject  # noqa: PLC0415

        self.writer = w = PdfWriter()
        self.info = None
        acro_form = None
        fields: list = []
        for data in sections:
            reader = PdfReader(io.BytesIO(data))
            if self.info is None:
                self.info = dict(reader.metadata or {})
            root = reader.root_object
            own = root.get("/AcroForm")
            ids = []
            if own is not None:  # the fields are gathered here: pypdf's own merge of them is quadratic
                own = own.get_object()
                ids = [f.idnum for f in own.get("/Fields", []) if isinstance(f, IndirectObject)]
                if acro_form is None:
                    acro_form = own.clone(w, False, ("/Fields",))
                del root[NameObject("/AcroForm")]
            w.append(reader)
            moved = w._id_translated.get(id(reader), {})
            fields += [IndirectObject(moved[i], 0, w) for i in ids if i in moved]
        if acro_form is not None:
            acro_form[NameObject("/Fields")] = ArrayObject(fields)
            ref = getattr(acro_form, "indirect_reference", None) or w._add_object(acro_form)
            w.root_object[NameObject("/AcroForm")] = ref
        self._check_fields()

    @property
    def page_count(self) -> int:
        return len(self.writer.pages)

    def _check_fields(self) -> None:
        acro = self.writer.root_object.get("/AcroForm")
        if acro is None:
            return
        seen: set[str] = set()
        for ref in acro.get_object().get("/Fields", []):
            name = str(ref.get_object().get("/T", ""))
            if name in seen:
                raise MergeError(f"form field {name!r} is in two sections")
            seen.add(name)

    def stamp(self, overlays: list[bytes]) -> None:
        """Draw overlay pages, in order across ``overlays``, over the merged pages."""
        from pypdf import PdfReader  # noqa: PLC0415
        from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject  # noqa: PLC0415

        w = self.writer
        opages = [p for data in overlays for p in PdfReader(io.BytesIO(data)).pages]
        if len(opages) != len(w.pages):
            raise MergeError(f"{len(opages)} overlay pages for {len(w.pages)} pages")
        begin, end = DecodedStreamObject(), DecodedStreamObject()
        begin.set_data(b"q\n")
        end.set_data(b"Q\nq /TPrun Do Q\n")
        begin_ref, end_ref = w._add_object(begin), w._add_object(end)
        for page, opage in zip(w.pages, opages):
            form = opage["/Contents"].get_object()
            if not hasattr(form, "get_data"):  # an array of streams: one stream of their decoded bytes
                joined = DecodedStreamObject()
                joined.set_data(b"\n".join(s.get_object().get_data() for s in form))
                form = joined
            form = form.clone(w, force_duplicate=True)
            form[NameObject("/Type")] = NameObject("/XObject")
            form[NameObject("/Subtype")] = NameObject("/Form")
            form[NameObject("/BBox")] = ArrayObject(opage.mediabox)
            form[NameObject("/Resources")] = opage["/Resources"].get_object().clone(w)
            form_ref = form.indirect_reference or w._add_object(form)
            resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
            xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
            xobjects[NameObject("/TPrun")] = form_ref
            resources[NameObject("/XObject")] = xobjects
            page[NameObject("/Resources")] = resources
            own = page.get("/Contents")
            own = list(own.get_object()) if own is not None and isinstance(own.get_object(), list) else (
                [own] if own is not None else [])
            page[NameObject("/Contents")] = ArrayObject([begin_ref, *own, end_ref])

    def write(self, identifier: bytes) -> bytes:
        from pypdf.generic import ArrayObject, ByteStringObject  # noqa: PLC0415

        w = self.writer
        info = {k: v for k, v in (self.info or {}).items() if k in ("/Title", "/Author", "/Subject", "/Keywords",
                                                                      "/Creator", "/Producer", "/CreationDate",
                                                                      "/ModDate")}
        w.add_metadata(info)
        w._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
        w.compress_identical_objects()  # each section embeds the same fonts (the form font in full): keep one
        buf = io.BytesIO()
        w.write(buf)
        return buf.getvalue()
