"""Signs a PDF as PAdES with pyHanko, a real signing library, for the tests.

Usage: pades-sign.py KEY CERT CHAIN IN.pdf OUT.pdf [STAMP]

With STAMP, a text stamp is first drawn on page 1 in an incremental update,
as someone changing a signed form visibly before adding their own signature.
"""
import io
import sys

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.stamp import TextStamp, TextStampStyle

key, cert, chain, source, target = sys.argv[1:6]
stamp_text = sys.argv[6] if len(sys.argv) > 6 else None
with open(source, "rb") as f:
    data = f.read()
if stamp_text:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    stamp = TextStamp(writer, style=TextStampStyle(stamp_text="%(t)s"), text_params={"t": stamp_text})
    stamp.apply(dest_page=0, x=60, y=60)
    buf = io.BytesIO()
    writer.write(buf)
    data = buf.getvalue()
signer = signers.SimpleSigner.load(key, cert, ca_chain_files=(chain,))
meta = signers.PdfSignatureMetadata(field_name="Firma" if not stamp_text else "Firma2", subfilter=SigSeedSubFilter.PADES)
out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), meta, signer=signer)
with open(target, "wb") as f:
    f.write(out.getbuffer())
