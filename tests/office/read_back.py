"""Reads PowerPoint and Word files back with python-pptx and python-docx
(readers independent of trainpack) and prints what they hold as JSON, for
tests/office.rs. Usage: read_back.py FILE..."""
import json
import sys

import docx
from pptx import Presentation

QN = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WN = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def deck(path):
    p = Presentation(path)
    slides = []
    for s in p.slides:
        texts = [sh.text_frame.text for sh in s.shapes if sh.has_text_frame]
        rtl = [e.get("rtl") == "1" for e in s.shapes._spTree.iter(QN + "pPr")]
        notes = s.notes_slide.notes_text_frame.text if s.has_notes_slide else None
        slides.append({
            "title": s.shapes.title.text if s.shapes.title is not None else None,
            "layout": s.slide_layout.name,
            "texts": texts,
            "notes": notes,
            "pictures": sum(1 for sh in s.shapes if sh.shape_type == 13),
            "rtl": bool(rtl) and all(rtl),
        })
    return {
        "masters": len(p.slide_masters),
        "layouts": [l.name for l in p.slide_layouts],
        "slides": slides,
    }


def word(path):
    d = docx.Document(path)
    paras = []
    for para in d.paragraphs:
        ppr = para._p.pPr
        paras.append({
            "style": para.style.name,
            "text": para.text,
            "bidi": ppr is not None and ppr.find(WN + "bidi") is not None,
        })
    tables = []
    for t in d.tables:
        tpr = t._tbl.tblPr
        tables.append({
            "style": t.style.name if t.style is not None else None,
            "rows": [[c.text for c in r.cells] for r in t.rows],
            "header": [r._tr.trPr is not None and r._tr.trPr.find(WN + "tblHeader") is not None
                       for r in t.rows],
            "bidi": tpr.find(WN + "bidiVisual") is not None,
        })
    pictures = []
    for shape in d.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        part = d.part.related_parts[blip.embed]
        pictures.append({
            "descr": shape._inline.docPr.get("descr"),
            "type": part.content_type,
            "bytes": len(part.blob),
            "width": shape.width,
        })
    return {
        "paragraphs": paras,
        "styles": sorted(s.name for s in d.styles),
        "tables": tables,
        "pictures": pictures,
    }


out = {}
for path in sys.argv[1:]:
    out[path] = deck(path) if path.endswith(".pptx") else word(path)
json.dump(out, sys.stdout, ensure_ascii=False)
