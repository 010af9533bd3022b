#!/usr/bin/env bash
# From onboarding an identity to reading provenance, with curl, against `npm start`.
# Usage: ADMIN=<admin key printed by npm start> bash examples/walkthrough.sh
set -euo pipefail
cd "$(dirname "$0")"
GW=${GW:-http://127.0.0.1:8080}
: "${ADMIN:?set ADMIN to the admin API key printed by npm start}"
ISSUER_WALLET=0x90F79bf6EB2c4f870365E785982E1f101E93b906   # Hardhat account 3: holds ISSUER_ROLE after npm start
HOLDER=0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc          # Hardhat account 5
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);const p=process.argv[1].split(".").reduce((o,k)=>o?.[k],v);console.log(typeof p==="object"?JSON.stringify(p):p)})' "$1"; }
key() { curl -sf -X POST "$GW/v1/keys" -H "authorization: Bearer $ADMIN" -H 'content-type: application/json' -d "$1" | json token; }
expires=$(node -e 'console.log(new Date(Date.now()+2*365*86400e3).toISOString())')

echo "1. API keys for an attestor, an issuer, an auditor and a regulator"
ATTESTOR=$(key '{"role":"attestor","label":"KYC provider"}')
ISSUER=$(key "{\"role\":\"issuer\",\"label\":\"pilot platform\",\"wallet\":\"$ISSUER_WALLET\"}")
AUDITOR=$(key '{"role":"auditor","label":"auditor"}')
REGULATOR=$(key '{"role":"regulator","label":"regulator"}')

echo "2. The attestor registers the issuer (level 4, business licence) and a holder (level 2)"
curl -sf -X POST "$GW/v1/identities" -H "authorization: Bearer $ATTESTOR" \
  -F "data={\"wallet\":\"$ISSUER_WALLET\",\"level\":4,\"jurisdiction\":156,\"expiresAt\":\"$expires\"}" \
  -F kycEvidence=@business-licence.txt | json did
curl -sf -X POST "$GW/v1/identities" -H "authorization: Bearer $ATTESTOR" \
  -F "data={\"wallet\":\"$HOLDER\",\"level\":2,\"jurisdiction\":156,\"expiresAt\":\"$expires\",\"kycEvidenceHash\":\"0x$(printf 'holder dossier' | sha256sum | cut -c1-64)\"}" | json did

echo "3. The issuer records its copyright certificate (存证), checks the collection, then creates it"
curl -s -X POST "$GW/v1/evidence" -H "authorization: Bearer $ISSUER" -F 'data={"kind":"copyright"}' -F file=@certificate.txt | json hash
curl -sf -X POST "$GW/v1/collections/check" -H "authorization: Bearer $ISSUER" \
  -F "data=<collection.json" -F media=@work.png -F copyrightEvidence=@certificate.txt | json passed
created=$(curl -sf -X POST "$GW/v1/collections" -H "authorization: Bearer $ISSUER" \
  -F "data=<collection.json" -F media=@work.png -F copyrightEvidence=@certificate.txt)
echo "$created"
COLLECTION=$(echo "$created" | json collectionId)

echo "4. The issuer mints one edition to the holder (exactly once per Idempotency-Key)"
job=$(curl -sf -X POST "$GW/v1/collections/$COLLECTION/mint" -H "authorization: Bearer $ISSUER" \
  -H 'content-type: application/json' -H "idempotency-key: walkthrough-$COLLECTION" -d "{\"recipients\":[\"$HOLDER\"]}" | json jobId)
for _ in $(seq 1 50); do
  state=$(curl -sf "$GW/v1/jobs/$job" -H "authorization: Bearer $ISSUER" | json state)
  [ "$state" = done ] && break
  sleep 0.2
done
TOKEN=$(curl -sf "$GW/v1/jobs/$job" -H "authorization: Bearer $ISSUER" | json items.0.tokenId)
echo "   job $job: $state, token $TOKEN"

echo "5. The auditor reads the token and its provenance (with the integrity verdict)"
curl -sf "$GW/v1/tokens/$TOKEN" -H "authorization: Bearer $AUDITOR" | json owner
curl -sf "$GW/v1/tokens/$TOKEN/provenance" -H "authorization: Bearer $AUDITOR" | json integrity

echo "6. The regulator anchors and verifies the sandbox log"
curl -sf -X POST "$GW/v1/sandbox/anchor" -H "authorization: Bearer $REGULATOR" | json anchor.root
curl -sf "$GW/v1/sandbox/verify" -H "authorization: Bearer $REGULATOR" | json ok
