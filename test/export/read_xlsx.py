# Reads an .xlsx back with openpyxl and prints what the export tests check, as one JSON document.
import datetime, json, sys
import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])  # not read_only: freeze panes, filters and widths need the full model
out = {"sheets": []}
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows():
        cells = []
        for c in row:
            v = c.value
            if isinstance(v, datetime.datetime):
                v = v.strftime("%Y-%m-%d %H:%M:%S.%f")
            cells.append({"v": v, "t": c.data_type, "date": c.is_date, "fmt": c.number_format, "bold": bool(c.font and c.font.b)})
        rows.append(cells)
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    out["sheets"].append({"name": ws.title, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "widths": widths,
                          "rtl": bool(ws.sheet_view.rightToLeft), "rows": rows})
json.dump(out, sys.stdout)
