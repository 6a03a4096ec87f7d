"""The same two jobs as forms/benches/template.rs, done with Python's openpyxl,
so the benchmark can print a ratio measured in the same run.

    python3 openpyxl_baseline.py SPEC.json FILLED.xlsx RUNS

SPEC.json (written by the Rust benchmark) describes the template: fields with
labels, units, marks, help, options, the municipality list and the prefill.
Prints {"generate_ms": [...], "read_ms": [...]} on standard output.
The Python reader only finds values by id and converts numbers: it does less
checking than the Rust validator, so the ratio is conservative.
"""
import io
import json
import sys
import time

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation


def generate(spec):
    wb = Workbook()
    ins = wb.active
    ins.title = "Istruzioni"
    for i, paragraph in enumerate(spec["instructions"]):
        ins.cell(row=i + 1, column=1, value=paragraph)
    ins.protection.sheet = True
    data = wb.create_sheet("Dati")
    lists = wb.create_sheet("Elenchi")
    lists.sheet_state = "hidden"
    columns = [("#municipality", spec["municipalities"])] + [(k, v) for k, v in spec["enums"].items()]
    ranges = {}
    for c, (name, values) in enumerate(columns):
        lists.cell(row=1, column=c + 1, value=name)
        for r, v in enumerate(values):
            lists.cell(row=r + 2, column=c + 1, value=v)
        letter = lists.cell(row=1, column=c + 1).column_letter
        ranges[name] = f"=Elenchi!${letter}$2:${letter}${len(values) + 1}"
    lists.protection.sheet = True
    data.cell(row=1, column=1, value=spec["marker"])
    for c, m in enumerate(["#id", "#label", "#value", "#unit", "#required", "#help"]):
        data.cell(row=2, column=c + 1, value=m)
    data.row_dimensions[2].hidden = True
    required = PatternFill("solid", fgColor="FFF2CC")
    bold = Font(bold=True)
    row = 4
    for f in spec["fields"]:
        data.cell(row=row, column=1, value=f["id"])
        data.cell(row=row, column=2, value=f["label"])
        value = data.cell(row=row, column=3, value=spec["prefill"].get(f["id"]))
        value.protection = Protection(locked=False)
        if f["mark"] == "M":
            value.fill = required
        data.cell(row=row, column=4, value=f["unit"])
        data.cell(row=row, column=5, value=f["mark"]).font = bold
        data.cell(row=row, column=6, value=f["help"])
        if f["list"]:
            dv = DataValidation(type="list", formula1=ranges[f["list"]], allow_blank=True)
        elif f["type"] in ("decimal", "coordinate"):
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        elif f["type"] == "integer":
            dv = DataValidation(type="whole", operator="between", formula1="0", formula2="1000000", allow_blank=True)
        else:
            dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="2000", allow_blank=True)
        dv.promptTitle = f["label"][:32]
        dv.prompt = f["help"][:255]
        data.add_data_validation(dv)
        dv.add(value.coordinate)
        row += 1
    data.column_dimensions["A"].hidden = True
    data.protection.sheet = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read(bytes_, types):
    wb = load_workbook(io.BytesIO(bytes_), data_only=True)
    for ws in wb.worksheets:
        cells = list(ws.iter_rows(values_only=True))
        if not any(isinstance(r[0], str) and r[0].startswith("#call=") for r in cells if r):
            continue
        value_col = next(r.index("#value") for r in cells if r and "#value" in r)
        values = {}
        for r in cells:
            if r and r[0] in types:
                v = r[value_col]
                if types[r[0]] in ("decimal", "integer", "coordinate") and isinstance(v, str):
                    v = float(v.replace(".", "").replace(",", "."))
                values[r[0]] = v
        return values
    raise SystemExit("no data sheet")


def main():
    spec = json.load(open(sys.argv[1]))
    filled = open(sys.argv[2], "rb").read()
    runs = int(sys.argv[3])
    types = {f["id"]: f["type"] for f in spec["fields"]}
    gen, rd = [], []
    for _ in range(runs):
        t = time.perf_counter()
        generate(spec)
        gen.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        read(filled, types)
        rd.append((time.perf_counter() - t) * 1000)
    print(json.dumps({"generate_ms": gen, "read_ms": rd}))


if __name__ == "__main__":
    main()
