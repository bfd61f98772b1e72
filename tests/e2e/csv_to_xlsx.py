#!/usr/bin/env python3
"""Writes a CSV file as an .xlsx workbook the way Excel does, for tsq's xlsx tests.

Usage: csv_to_xlsx.py IN.csv OUT.xlsx [--dates COL,COL] [--numbers COL,COL]

Independent of tsq (zipfile and hand-written SpreadsheetML): text goes to the shared strings,
the --numbers columns are numeric cells, the --dates columns ("YYYY-MM-DD HH:MM:SS" or ISO with
an offset, taken as local time) are date serials with a date-time style, empty cells are left
out (so rows are sparse and lose their trailing cells, as Excel writes them), and every cell
carries its reference. A second sheet follows the first, to show only the first is read.
"""
import csv
import datetime
import sys
import zipfile
from xml.sax.saxutils import escape


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def serial(text):
    t = datetime.datetime.fromisoformat(text).replace(tzinfo=None)
    return repr((t - datetime.datetime(1899, 12, 30)).total_seconds() / 86400)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    opts = dict(zip(sys.argv[3::2], sys.argv[4::2]))
    dates = set(filter(None, opts.get("--dates", "").split(",")))
    numbers = set(filter(None, opts.get("--numbers", "").split(",")))
    rows = list(csv.reader(open(src, encoding="utf-8-sig", newline="")))
    header = rows[0]
    strings, index = [], {}

    def shared(text):
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            if value == "":
                continue
            ref = f"{col_name(c)}{r}"
            name = header[c] if r > 1 else None
            if name in dates:
                cells.append(f'<c r="{ref}" s="1"><v>{serial(value)}</v></c>')
            elif name in numbers:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{shared(value)}</v></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    out.append("</sheetData></worksheet>")
    sst = "".join(f"<si><t xml:space=\"preserve\">{escape(s)}</t></si>" for s in strings)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="数据" sheetId="1" r:id="rId7"/><sheet name="说明" sheetId="2" r:id="rId8"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId8" Type="worksheet" Target="worksheets/sheet2.xml"/>'
                   '<Relationship Id="rId7" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/styles.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy/m/d\\ h:mm:ss"/></numFmts>'
                   '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>')
        z.writestr("xl/sharedStrings.xml",
                   f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   f'count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>')
        z.writestr("xl/worksheets/sheet1.xml", "".join(out))
        z.writestr("xl/worksheets/sheet2.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>not data</t></is></c></row></sheetData></worksheet>')


if __name__ == "__main__":
    main()
