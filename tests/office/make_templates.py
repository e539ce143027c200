"""Makes the template fixtures of tests/office.rs with python-pptx and
python-docx (run once; the files are committed):
ok/office_template/templates/org.{pptx,docx} and
bad/office_template_layout/templates/org.pptx (no "Title and Content")."""
import sys
import docx
from docx.shared import RGBColor
from pptx import Presentation

fixtures = sys.argv[1]
p = Presentation()
master = p.slide_master
master.shapes[0]._element.nvSpPr.cNvPr.set("name", "ORG MASTER MARK")
p.slide_layouts[5].name = "Org Banner"
p.save(f"{fixtures}/ok/office_template/templates/org.pptx")

p = Presentation()
p.slide_layouts[1].name = "Content"
p.save(f"{fixtures}/bad/office_template_layout/templates/org.pptx")

d = docx.Document()
d.styles["Title"].font.color.rgb = RGBColor(0xC0, 0x39, 0x2B)
d.save(f"{fixtures}/ok/office_template/templates/org.docx")
