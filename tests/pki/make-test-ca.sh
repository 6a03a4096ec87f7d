#!/usr/bin/env bash
# Makes a throw-away PKI for the tests with the openssl command:
#   ca.pem            a test certification authority (the portal's trust anchor in tests)
#   owner.pem/.key    Mario Rossi, serialNumber TINIT-RSSMRA80A01F205X, as Italian qualified certificates carry it
#   other.pem/.key    Luigi Verdi, TINIT-VRDLGU70A01F205R (a signer who is not the owner)
#   rogue-ca.pem      a second authority nobody trusts, and rogue.pem/.key: "Mario Rossi" issued by it
#   encipher.pem/.key Mario Rossi again, from the test CA, but for encryption only (keyUsage keyEncipherment)
# Usage: make-test-ca.sh DIR
set -euo pipefail
dir="$1"
mkdir -p "$dir"
cd "$dir"
days=30

authority() { # name, subject
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.pem" -days "$days" \
    -subj "$2" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

person() { # name, issuing authority, given name, surname, tax code[, key usage]
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" \
    -subj "/C=IT/GN=$3/SN=$4/CN=$3 $4/serialNumber=TINIT-$5" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,%s\n' "${6:-nonRepudiation}" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial \
    -days "$days" -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

authority ca "/C=IT/O=Opportunity Lombardy tests/CN=Test Qualified CA"
authority rogue-ca "/C=IT/O=Nobody/CN=Untrusted CA"
person owner ca Mario Rossi RSSMRA80A01F205X
person other ca Luigi Verdi VRDLGU70A01F205R
person rogue rogue-ca Mario Rossi RSSMRA80A01F205X
person encipher ca Mario Rossi RSSMRA80A01F205X keyEncipherment
