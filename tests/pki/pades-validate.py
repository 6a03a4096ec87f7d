"""Prints pyHanko's own verdict on every signature of a PDF, for the tests:
one line per signature: intact|modified|invalid, then the signer's common name.

Usage: pades-validate.py TRUST_ANCHORS.pem IN.pdf
"""
import sys

from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

anchors, source = sys.argv[1:3]
context = ValidationContext(trust_roots=list(load_certs_from_pemder([anchors])))
with open(source, "rb") as f:
    reader = PdfFileReader(f)
    for sig in reader.embedded_signatures:
        status = validate_pdf_signature(sig, context)
        if not status.intact or not status.valid:
            verdict = "invalid"
        elif status.coverage.name == "ENTIRE_FILE" or status.modification_level is None or status.modification_level.name in ("NONE", "LTA_UPDATES", "FORM_FILLING"):
            verdict = "intact"
        else:
            verdict = "modified"
        print(verdict, status.signing_cert.subject.native.get("common_name", ""))
