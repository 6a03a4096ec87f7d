"""Signs a PDF as PAdES with pyHanko, a real signing library, for the tests.

Usage: pades-sign.py KEY CERT CHAIN IN.pdf OUT.pdf
"""
import sys

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

key, cert, chain, source, target = sys.argv[1:6]
signer = signers.SimpleSigner.load(key, cert, ca_chain_files=(chain,))
meta = signers.PdfSignatureMetadata(field_name="Firma", subfilter=SigSeedSubFilter.PADES)
with open(source, "rb") as f:
    out = signers.sign_pdf(IncrementalPdfFileWriter(f), meta, signer=signer)
with open(target, "wb") as f:
    f.write(out.getbuffer())
