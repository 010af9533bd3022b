#!/usr/bin/env bash
# From onboarding an identity to reading provenance, with curl, against `npm start`.
#
#   ADMIN=<admin key printed by npm start> [GW=http://127.0.0.1:8080] bash examples/walkthrough.sh
#
# Each run onboards fresh holder wallets and registers a fresh work (its media and copyright certificate
# carry the run's id, so their hashes are new), so it can run again and again on the same stack. It
# prints the API keys it creates. On the first failed request it prints the server's error code and
# message and exits 1; the last line is the verdict, and the exit code is non-zero unless it is PASS.
set -euo pipefail
shopt -s inherit_errexit # a failed request inside $(…) stops the script too
cd "$(dirname "$0")"
GW=${GW:-http://127.0.0.1:8080}
: "${ADMIN:?set ADMIN to the admin API key printed by npm start}"
ISSUER_WALLET=0x90F79bf6EB2c4f870365E785982E1f101E93b906 # Hardhat account 3: holds ISSUER_ROLE from the deployment
RUN=$(date +%Y%m%d-%H%M%S)-$RANDOM
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for tool in curl node; do
  command -v "$tool" >/dev/null || { echo "walkthrough: $tool is needed" >&2; exit 2; }
done

fail() { echo "✗ $1" >&2; echo "VERDICT: FAIL ($1)" >&2; exit 1; }

# json PATH: prints a field of the JSON on stdin (PATH like a.b.0.c; objects and arrays as JSON).
json() {
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{if(!s.trim())process.exit(1);const v=JSON.parse(s);const p=process.argv[1].split(".").filter(Boolean).reduce((o,k)=>o?.[k],v);console.log(p!==null&&typeof p==="object"?JSON.stringify(p):p)})' "$1"
}

# request LABEL CURL-ARGS…: the reply's body on stdout. On a non-2xx answer, prints the server's error
# (code and message) and stops the script. Call it as VAR=$(request …) so that the stop propagates.
request() {
  local label=$1 status
  shift
  status=$(curl -sS -o "$TMP/body" -w '%{http_code}' "$@") || fail "$label: no answer from $GW (is npm start running? set GW otherwise)"
  if [[ $status != 2* ]]; then
    local why
    why=$(node -e 'const fs=require("fs");const t=fs.readFileSync(process.argv[1],"utf8");try{const e=JSON.parse(t).error;console.log(`${e.code}: ${e.message}`+(e.details?` ${JSON.stringify(e.details).slice(0,600)}`:""))}catch{console.log(t.slice(0,300))}' "$TMP/body")
    fail "$label: HTTP $status $why"
  fi
  cat "$TMP/body"
}

# status-only GET: prints the HTTP status (for "does it exist?").
probe() { curl -sS -o "$TMP/probe" -w '%{http_code}' "$@" || echo 000; }

random_wallet() { echo "0x$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')"; }
expires=$(node -e 'console.log(new Date(Date.now()+2*365*86400e3).toISOString())')
auth() { echo "authorization: Bearer $1"; }

echo "0. The gateway at $GW"
health=$(request "GET /healthz" "$GW/healthz")
echo "   healthy: $(echo "$health" | json ok)"

echo "1. API keys for an attestor, an issuer (bound to its wallet), an auditor and a regulator"
key() {
  local created
  created=$(request "POST /v1/keys ($1)" -X POST "$GW/v1/keys" -H "$(auth "$ADMIN")" -H 'content-type: application/json' -d "$2")
  echo "$created" | json token
}
ATTESTOR=$(key attestor '{"role":"attestor","label":"KYC provider (walkthrough)"}')
ISSUER=$(key issuer "{\"role\":\"issuer\",\"label\":\"pilot platform (walkthrough)\",\"wallet\":\"$ISSUER_WALLET\"}")
AUDITOR=$(key auditor '{"role":"auditor","label":"auditor (walkthrough)"}')
REGULATOR=$(key regulator '{"role":"regulator","label":"regulator (walkthrough)"}')
echo "   ATTESTOR=$ATTESTOR"
echo "   ISSUER=$ISSUER"
echo "   AUDITOR=$AUDITOR"
echo "   REGULATOR=$REGULATOR"

echo "2. The attestor registers the issuer (level 4, business licence) unless it is registered, and two fresh holders (level 2)"
case $(probe "$GW/v1/identities/$ISSUER_WALLET" -H "$(auth "$ATTESTOR")") in
  200) echo "   issuer $ISSUER_WALLET: already registered, $(json did < "$TMP/probe")" ;;
  404)
    issuer=$(request "POST /v1/identities (issuer)" -X POST "$GW/v1/identities" -H "$(auth "$ATTESTOR")" \
      -F "data={\"wallet\":\"$ISSUER_WALLET\",\"level\":4,\"jurisdiction\":156,\"expiresAt\":\"$expires\"}" \
      -F kycEvidence=@business-licence.txt)
    echo "   issuer $ISSUER_WALLET: $(echo "$issuer" | json did)" ;;
  *) request "GET /v1/identities/$ISSUER_WALLET" "$GW/v1/identities/$ISSUER_WALLET" -H "$(auth "$ATTESTOR")" >/dev/null ;;
esac
HOLDERS=()
for n in 1 2; do
  holder=$(random_wallet)
  dossier=$(printf 'holder %s dossier, run %s' "$n" "$RUN" | sha256sum | cut -c1-64)
  registered=$(request "POST /v1/identities (holder $n)" -X POST "$GW/v1/identities" -H "$(auth "$ATTESTOR")" \
    -F "data={\"wallet\":\"$holder\",\"level\":2,\"jurisdiction\":156,\"expiresAt\":\"$expires\",\"kycEvidenceHash\":\"0x$dossier\"}")
  echo "   holder $n $holder: $(echo "$registered" | json did)"
  HOLDERS+=("$holder")
done

echo "3. The attestor records the copyright certificate (存证); the issuer checks the collection, then creates it"
# A fresh work each run: the run id goes into the PNG (a tEXt chunk) and into the certificate.
node -e '
  const fs = require("fs"), zlib = require("zlib");
  const png = fs.readFileSync("work.png"), text = Buffer.from(`Comment\0walkthrough run ${process.argv[1]}`, "latin1");
  const len = Buffer.alloc(4); len.writeUInt32BE(text.length);
  const body = Buffer.concat([Buffer.from("tEXt"), text]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  const iend = png.length - 12; // the IEND chunk is last
  fs.writeFileSync(process.argv[2], Buffer.concat([png.subarray(0, iend), len, body, crc, png.subarray(iend)]));
' "$RUN" "$TMP/work.png"
{ cat certificate.txt; echo "Walkthrough run: $RUN"; } > "$TMP/certificate.txt"
evidence=$(request "POST /v1/evidence" -X POST "$GW/v1/evidence" -H "$(auth "$ATTESTOR")" \
  -F 'data={"kind":"copyright","description":"copyright certificate of the walkthrough work"}' -F file=@"$TMP/certificate.txt")
echo "   copyright certificate recorded by the attestor: $(echo "$evidence" | json hash)"
check=$(request "POST /v1/collections/check" -X POST "$GW/v1/collections/check" -H "$(auth "$ISSUER")" \
  -F "data=<collection.json" -F media=@"$TMP/work.png" -F copyrightEvidence=@"$TMP/certificate.txt")
if [ "$(echo "$check" | json passed)" != true ]; then
  echo "$check" | json results >&2
  fail "the compliance check did not pass (failed rules above)"
fi
echo "   compliance check: passed"
created=$(request "POST /v1/collections" -X POST "$GW/v1/collections" -H "$(auth "$ISSUER")" \
  -F "data=<collection.json" -F media=@"$TMP/work.png" -F copyrightEvidence=@"$TMP/certificate.txt")
COLLECTION=$(echo "$created" | json collectionId)
echo "   collection $COLLECTION, metadata ipfs://$(echo "$created" | json metadataCID), complianceRef $(echo "$created" | json complianceRef)"

echo "4. The issuer mints one edition to each holder (exactly once per Idempotency-Key)"
recipients=$(printf '"%s",' "${HOLDERS[@]}")
job=$(request "POST /v1/collections/$COLLECTION/mint" -X POST "$GW/v1/collections/$COLLECTION/mint" -H "$(auth "$ISSUER")" \
  -H 'content-type: application/json' -H "idempotency-key: walkthrough-$RUN" -d "{\"recipients\":[${recipients%,}]}")
JOB=$(echo "$job" | json jobId)
state=queued
for _ in $(seq 1 300); do
  status=$(request "GET /v1/jobs/$JOB" "$GW/v1/jobs/$JOB" -H "$(auth "$ISSUER")")
  state=$(echo "$status" | json state)
  [ "$state" = done ] || [ "$state" = failed ] && break
  sleep 0.2
done
[ "$state" = done ] || fail "mint job $JOB is $state: $(echo "$status" | json reason)"
minted=$(echo "$status" | json counts.minted)
[ "$minted" = 2 ] || fail "mint job $JOB minted $minted of 2: $(echo "$status" | json items)"
TOKEN=$(echo "$status" | json items.0.tokenId)
echo "   job $JOB: $state, tokens $TOKEN and $(echo "$status" | json items.1.tokenId)"

echo "5. The auditor reads the token and its provenance (with the integrity verdict)"
token=$(request "GET /v1/tokens/$TOKEN" "$GW/v1/tokens/$TOKEN" -H "$(auth "$AUDITOR")")
echo "   owner $(echo "$token" | json owner), edition $(echo "$token" | json edition) of collection $(echo "$token" | json collectionId)"
provenance=$(request "GET /v1/tokens/$TOKEN/provenance" "$GW/v1/tokens/$TOKEN/provenance" -H "$(auth "$AUDITOR")")
INTEGRITY=$(echo "$provenance" | json integrity.passed)
echo "$provenance" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const c of JSON.parse(s).integrity.checks)console.log(`   ${c.verdict.toUpperCase().padEnd(12)} ${c.check}: ${c.reason}`)})'

echo "6. The regulator anchors the sandbox log on chain and verifies it"
anchor=$(request "POST /v1/sandbox/anchor" -X POST "$GW/v1/sandbox/anchor" -H "$(auth "$REGULATOR")")
echo "   checkpoint of $(echo "$anchor" | json checkpoint.size) entries, root $(echo "$anchor" | json checkpoint.root), anchored in tx $(echo "$anchor" | json checkpoint.anchor.txHash)"
verify=$(request "GET /v1/sandbox/verify" "$GW/v1/sandbox/verify" -H "$(auth "$REGULATOR")")
LOG_OK=$(echo "$verify" | json ok)
echo "   $(echo "$verify" | json entries) entries, $(echo "$verify" | json onChain.count) checkpoint(s) on chain, $(echo "$verify" | json unanchored) entries not yet anchored, verifies: $LOG_OK"

echo
echo "Keys created by this run: ATTESTOR=$ATTESTOR ISSUER=$ISSUER AUDITOR=$AUDITOR REGULATOR=$REGULATOR"
echo "Collection $COLLECTION, token $TOKEN"
if [ "$INTEGRITY" = true ] && [ "$LOG_OK" = true ]; then
  echo "VERDICT: PASS (token $TOKEN: provenance integrity verified; sandbox log verifies)"
else
  echo "VERDICT: FAIL (provenance integrity: $INTEGRITY; sandbox log verifies: $LOG_OK)" >&2
  exit 1
fi
