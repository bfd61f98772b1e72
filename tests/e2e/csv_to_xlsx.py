#!/usr/bin/env python3
"""Writes CSV files as an .xlsx workbook the way Excel does, for tsq's xlsx tests.

Usage: csv_to_xlsx.py IN.csv OUT.xlsx [--dates COL,COL] [--numbers COL,COL]
       csv_to_xlsx.py OUT.xlsx --sheet NAME=IN.csv [--sheet NAME=IN.csv ...] [--dates ...]

Independent of tsq (zipfile and hand-written SpreadsheetML): text goes to the shared strings,
the --numbers columns are numeric cells, the --dates columns ("YYYY-MM-DD HH:MM:SS" or ISO with
an offset, taken as local time) are date serials with a date-time style, empty cells are left
out (so rows are sparse and lose their trailing cells, as Excel writes them), and every cell
carries its reference.

With one CSV, its sheet is called 数据 and a 说明 (notes) sheet follows it, to show only the first
is read. With --sheet, each CSV is a sheet of that name, after a 说明 sheet that comes first; the
sheets' parts are numbered and their relations listed in another order than the tabs, as no
reader may take either for the tabs' order.
"""
import argparse
import csv
import datetime
import zipfile
from xml.sax.saxutils import escape, quoteattr

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NOTES = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData><row r="1">'
         '<c r="A1" t="inlineStr"><is><t>not data</t></is></c></row></sheetData></worksheet>')


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


def sheet_xml(src, dates, numbers, shared):
    rows = list(csv.reader(open(src, encoding="utf-8-sig", newline="")))
    header = rows[0]
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}"><sheetData>']
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
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description="Writes CSV files as an .xlsx workbook.")
    ap.add_argument("paths", nargs="+", help="IN.csv OUT.xlsx, or OUT.xlsx with --sheet")
    ap.add_argument("--sheet", action="append", default=[], metavar="NAME=IN.csv")
    ap.add_argument("--dates", default="")
    ap.add_argument("--numbers", default="")
    args = ap.parse_args()
    dates = set(filter(None, args.dates.split(",")))
    numbers = set(filter(None, args.numbers.split(",")))
    if args.sheet:
        if len(args.paths) != 1:
            ap.error("with --sheet, give only OUT.xlsx")
        dst = args.paths[0]
        named = [("说明", None)] + [tuple(s.split("=", 1)) for s in args.sheet]
    else:
        if len(args.paths) != 2:
            ap.error("give IN.csv OUT.xlsx")
        dst = args.paths[1]
        named = [("数据", args.paths[0]), ("说明", None)]

    strings, index = [], {}

    def shared(text):
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    # Tab i's part is sheet(n - i).xml and its relation rId(n - i + 6); relations listed reversed.
    n = len(named)
    tabs, rels, parts = [], [], {}
    for i, (name, src) in enumerate(named):
        k = n - i
        tabs.append(f'<sheet name={quoteattr(name)} sheetId="{i + 1}" r:id="rId{k + 6}"/>')
        rels.insert(0, f'<Relationship Id="rId{k + 6}" Type="worksheet" Target="worksheets/sheet{k}.xml"/>')
        parts[f"xl/worksheets/sheet{k}.xml"] = NOTES if src is None else sheet_xml(src, dates, numbers, shared)
    sst = "".join(f"<si><t xml:space=\"preserve\">{escape(s)}</t></si>" for s in strings)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("xl/workbook.xml",
                   f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   + "".join(tabs) + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + "".join(rels) + "</Relationships>")
        z.writestr("xl/styles.xml",
                   f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}">'
                   '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy/m/d\\ h:mm:ss"/></numFmts>'
                   '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>')
        z.writestr("xl/sharedStrings.xml",
                   f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" '
                   f'count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>')
        for part, xml in parts.items():
            z.writestr(part, xml)


if __name__ == "__main__":
    main()
