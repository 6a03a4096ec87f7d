"""Fill a generated template in LibreOffice Calc, as a person would, and save it.

Run by forms/tests/libreoffice.rs with Debian's python3 (python3-uno):
    python3 fill.py TEMPLATE.xlsx PLAN.json OUT_DIR

PLAN.json: {"files": [{"name": ..., "formats": ["xlsx", "ods", "xls"], "password": null,
             "cells": {"field_id": {"number": 1} | {"text": "..."} | {"formula": "=..."} | {"date": serial}}}]}
It starts a private headless soffice, opens the template, records what Calc
sees in it (sheets, protection, drop-down lists) into OUT_DIR/checks.json,
inserts rows and a column (as people do), fills the value cells found through
the hidden markers, and saves each file in each format.
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue

FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "ods": "calc8", "xls": "MS Excel 97"}


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect(port, deadline):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            return resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.3)


def find(sheet):
    """Locates the markers: (id column, value column, {field id: row})."""
    data = sheet.getCellRangeByName("A1:Z400").getDataArray()
    id_col = value_col = None
    rows = {}
    for r, line in enumerate(data):
        for c, v in enumerate(line):
            if isinstance(v, str) and v.startswith("#call="):
                id_col = c
            if v == "#value":
                value_col = c
    for r, line in enumerate(data):
        v = line[id_col]
        # Field ids are lower-case snake case; the visible heading ("Codice") is not one.
        if isinstance(v, str) and re.fullmatch(r"[a-z][a-z0-9_.]*", v):
            rows[v] = r
    return id_col, value_col, rows


def data_sheet(doc):
    for i in range(doc.Sheets.Count):
        sheet = doc.Sheets.getByIndex(i)
        text = sheet.getCellRangeByName("A1:F3").getDataArray()
        if any(isinstance(v, str) and v.startswith("#call=") for line in text for v in line):
            return sheet
    raise SystemExit("no data sheet in the template")


def cramped(doc):
    """What Calc shows cut short in the template as generated: the rows (data
    sheet: field ids; instructions: row numbers) lower than the height Calc
    finds optimal for their wrapped text, and columns narrower than their text
    where text does not wrap (the unit column). Measured on the unprotected
    sheets, then the document is closed unsaved."""
    found = []
    for i in range(doc.Sheets.Count):
        sheet = doc.Sheets.getByIndex(i)
        if sheet.IsVisible is False:
            continue
        sheet.unprotect("")
        data = sheet.getCellRangeByName("A1:Z400").getDataArray()
        is_data = any(isinstance(v, str) and v.startswith("#call=") for line in data[:3] for v in line)
        _, value_col, rows = find(sheet) if is_data else (None, None, {})
        names = {r: f for f, r in rows.items()}
        for r, line in enumerate(data):
            if not any(v for v in line):
                continue
            row = sheet.Rows.getByIndex(r)
            if row.IsVisible is False:
                continue
            height = row.Height
            row.OptimalHeight = True
            # 1/100 mm; half a millimetre of rounding between programs.
            if height + 50 < row.Height:
                found.append(f"{sheet.Name}!row {names.get(r, r + 1)}: {height} < {row.Height}")
        if is_data:
            column = sheet.Columns.getByIndex(value_col + 1)
            width = column.Width
            column.OptimalWidth = True
            if width + 50 < column.Width:
                found.append(f"{sheet.Name}!unit column: {width} < {column.Width}")
    return found


def main():
    template, plan_path, out = sys.argv[1:4]
    plan = json.load(open(plan_path))
    port = free_port()
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    soffice = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         f"-env:UserInstallation=file://{profile}", f"--accept=socket,host=127.0.0.1,port={port};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ctx = connect(port, time.time() + 90)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        url = uno.systemPathToFileUrl(os.path.abspath(template))
        first = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
        if first is None:
            raise SystemExit("LibreOffice could not open the template")
        checks = {"cramped": cramped(first)}
        first.close(True)
        for spec in plan["files"]:
            doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
            if doc is None:
                raise SystemExit("LibreOffice could not open the template")
            sheet = data_sheet(doc)
            _, value_col, rows = find(sheet)
            if "sheets" not in checks:
                lists = sheet.getCellByPosition(value_col, rows["asset_type"]).Validation
                checks |= {
                    "sheets": [doc.Sheets.getByIndex(i).Name for i in range(doc.Sheets.Count)],
                    "protected": sheet.isProtected(),
                    "asset_type_validation": lists.Type.value,
                    "asset_type_list": lists.getFormula1(),
                    "fields": len(rows),
                }
            sheet.unprotect("")
            sheet.Rows.insertByIndex(4, 2)
            sheet.Columns.insertByIndex(1, 1)
            _, value_col, rows = find(sheet)
            for field, cell in spec["cells"].items():
                target = sheet.getCellByPosition(value_col, rows[field])
                if "number" in cell:
                    target.setValue(cell["number"])
                elif "date" in cell:
                    target.setValue(cell["date"])
                elif "formula" in cell:
                    target.setFormula(cell["formula"])
                elif "text" in cell:
                    target.setString(cell["text"])
                else:
                    target.setString("")
            doc.calculateAll()
            for fmt in spec["formats"]:
                args = [prop("FilterName", FILTERS[fmt]), prop("Overwrite", True)]
                # Calc encrypts .ods and .xls on save; it fails to encrypt .xlsx from UNO.
                if spec.get("password"):
                    args.append(prop("Password", spec["password"]))
                target_url = uno.systemPathToFileUrl(os.path.join(os.path.abspath(out), f"{spec['name']}.{fmt}"))
                uno.invoke(doc, "storeToURL", (target_url, uno.Any("[]com.sun.star.beans.PropertyValue", tuple(args))))
            doc.close(True)
        with open(os.path.join(out, "checks.json"), "w") as f:
            json.dump(checks, f)
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge closes as soffice exits
    finally:
        try:
            soffice.wait(timeout=30)
        except subprocess.TimeoutExpired:
            soffice.kill()


if __name__ == "__main__":
    main()
