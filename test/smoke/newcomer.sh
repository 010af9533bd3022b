#!/usr/bin/env bash
# The newcomer's first hour, as CI runs it: on a clean clone right after `npm ci`, before anything else
# has compiled, it does what the README promises and checks what a person would see.
#
#   1. npm start (free ports, a fresh data directory) until /healthz answers
#   2. examples/walkthrough.sh against it
#   3. Ctrl-C (SIGINT to the process group): every port free, no process left
#   4. npm start again: the same chain, collection and token are served, no recompile, the log verifies
#   5. a second npm start against the running one: refused, deployments unchanged, nothing deployed
#   6. the chain state deleted: the stale-data line, the old data moved aside, a fresh deployment
#   7. npm start -- --demo: the demo content through the API; a second run adds nothing
#
# Each step has a timeout; every process it started is stopped on exit (trap). Exit 0 only if all pass.
#   bash test/smoke/newcomer.sh        (KEEP=1 keeps the work directory for a look afterwards)
set -uo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/../.."
ROOT=$PWD
WORK=$(mktemp -d "${TMPDIR:-/tmp}/newcomer-smoke.XXXXXX")
DATA=$WORK/data
# Every process of this test carries the tag in its environment, so none can be left behind unseen.
TAG="newcomer-smoke-$$-$RANDOM"
export HARDHAT_DISABLE_TELEMETRY_PROMPT=true
STARTED=$(date +%s)
STEP=0
STACK_PID=
CURRENT_LOG=

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PORT=$(free_port)
RPC_PORT=$(free_port)
while [ "$RPC_PORT" = "$PORT" ]; do RPC_PORT=$(free_port); done
GW=http://127.0.0.1:$PORT
RPC=http://127.0.0.1:$RPC_PORT

tagged_pids() {
  local p
  for p in /proc/[0-9]*; do
    { tr '\0' '\n' < "$p/environ"; } 2>/dev/null | grep -qx "SMOKE_TAG=$TAG" && echo "${p#/proc/}"
  done
  return 0
}

cleanup() {
  local code=$? pids
  pids=$(tagged_pids)
  if [ -n "$pids" ]; then
    echo "cleanup: stopping processes left by the test: $(echo $pids)"
    for pid in $pids; do kill -INT "$pid" 2>/dev/null; done
    sleep 3
    for pid in $(tagged_pids); do kill -KILL "$pid" 2>/dev/null; done
  fi
  if [ "${KEEP:-}" = 1 ] || [ $code -ne 0 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() {
  STEP=$((STEP + 1))
  STEP_STARTED=$(date +%s)
  echo
  echo "── step $STEP: $1"
}
ok() { echo "   ok: $1"; }
pass_step() { echo "   step $STEP passed in $(($(date +%s) - STEP_STARTED)) s"; }
fail() {
  echo "   FAILED: $1" >&2
  if [ -n "$CURRENT_LOG" ] && [ -f "$CURRENT_LOG" ]; then
    echo "   --- last lines of $(basename "$CURRENT_LOG") ---" >&2
    tail -n 25 "$CURRENT_LOG" | sed 's/^/   | /' >&2
  fi
  echo >&2
  echo "NEWCOMER SMOKE TEST: FAIL at step $STEP after $(($(date +%s) - STARTED)) s" >&2
  exit 1
}

# jget PATH: a field of the JSON on stdin (a.b.0.c); objects as JSON; nothing and exit 1 on bad JSON.
jget() {
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v;try{v=JSON.parse(s)}catch{process.exit(1)}const p=process.argv[1].split(".").filter(Boolean).reduce((o,k)=>o?.[k],v);console.log(p!==null&&typeof p==="object"?JSON.stringify(p):p)})' "$1"
}
# api TOKEN PATH: GET; prints "<status> <body>".
api() { curl -sS -m 30 -o "$WORK/api.body" -w '%{http_code}' -H "authorization: Bearer $1" "$GW$2" 2>/dev/null; echo " $(cat "$WORK/api.body" 2>/dev/null)"; }
status_of() { echo "${1%% *}"; }
body_of() { echo "${1#* }"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
rpc() { curl -sS -m 10 -H 'content-type: application/json' -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":${2:-[]}}" "$RPC" | jget result; }

# start_stack LOG TIMEOUT [npm start args…]: starts npm start in its own session (as a terminal would run
# it) and waits for the banner's last line.
start_stack() {
  local log=$1 timeout=$2
  shift 2
  CURRENT_LOG=$log
  SMOKE_TAG=$TAG PORT=$PORT LOCAL_RPC_PORT=$RPC_PORT DATA_DIR=$DATA setsid npm start -- "$@" > "$log" 2>&1 &
  STACK_PID=$!
  local deadline=$(($(date +%s) + timeout))
  until grep -q "brings the same chain and data back" "$log" 2>/dev/null; do
    kill -0 "$STACK_PID" 2>/dev/null || fail "npm start exited before its banner"
    [ "$(date +%s)" -lt "$deadline" ] || fail "no banner within $timeout s"
    sleep 0.5
  done
  grep -q '^    at ' "$log" && fail "a stack trace was printed"
  local health
  health=$(curl -sS -m 10 "$GW/healthz" | jget ok) || true
  [ "$health" = true ] || fail "/healthz is not ok"
}

# stop_stack: Ctrl-C, as a terminal sends it (SIGINT to the whole process group), then waits.
stop_stack() {
  kill -INT -- "-$STACK_PID" 2>/dev/null || fail "npm start (pid $STACK_PID) is not running"
  local deadline=$(($(date +%s) + 40))
  while kill -0 "$STACK_PID" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "npm start still runs 40 s after SIGINT"
    sleep 0.3
  done
  STACK_PID=
}

deployment_digest() { find "$ROOT/deployments" "$DATA/deployments" -type f -print0 2>/dev/null | sort -z | xargs -0 -r sha256sum | sha256sum; }

echo "Newcomer smoke test: gateway port $PORT, chain port $RPC_PORT, data $DATA"

# ─────────────────────────────────────────────────────────────────────────────────────────────────────
step "npm start on a clean clone, until /healthz answers"
start_stack "$WORK/start-1.log" 420
grep -q "contracts  compil" "$WORK/start-1.log" || fail "no line about compiling the contracts"
grep -q "a new chain, saved to" "$WORK/start-1.log" || fail "anvil did not start a new persisted chain"
ADMIN=$(grep -o 'dar_admin_[A-Za-z0-9_-]*' "$WORK/start-1.log" | head -1)
[ -n "$ADMIN" ] || fail "no admin key printed"
banner_line=$(grep -n "the local stack is running" "$WORK/start-1.log" | cut -d: -f1)
last_log_line=$(grep -n "gateway    listening" "$WORK/start-1.log" | cut -d: -f1)
[ "$banner_line" -gt "$last_log_line" ] || fail "the banner is not after the start-up lines"
grep -q '"msg":"request"' "$WORK/start-1.log" && fail "request logs are printed in the terminal"
[ -s "$DATA/logs/gateway.log" ] || fail "no $DATA/logs/gateway.log"
grep -q "console    built" "$WORK/start-1.log" || fail "no line about building the web console"
page=$(curl -sS -m 10 -H 'accept: text/html' "$GW/")
grep -q '<div id="root">' <<<"$page" || fail "the web console is not served at $GW/"
ok "healthy at $GW, console served at /, admin key printed, banner last, request logs in data/logs/gateway.log"
pass_step

# ─────────────────────────────────────────────────────────────────────────────────────────────────────
step "examples/walkthrough.sh against it"
CURRENT_LOG=$WORK/walkthrough.log
GW=$GW ADMIN=$ADMIN timeout 180 bash examples/walkthrough.sh > "$CURRENT_LOG" 2>&1 || fail "the walkthrough failed (exit $?)"
grep -q "^VERDICT: PASS" "$CURRENT_LOG" || fail "no PASS verdict"
COLLECTION=$(sed -n 's/^Collection \([0-9]*\), token \([0-9]*\)$/\1/p' "$CURRENT_LOG")
TOKEN=$(sed -n 's/^Collection \([0-9]*\), token \([0-9]*\)$/\2/p' "$CURRENT_LOG")
[ -n "$COLLECTION" ] && [ -n "$TOKEN" ] || fail "the walkthrough did not name its collection and token"
grep -q "ATTESTOR=dar_attestor_" "$CURRENT_LOG" || fail "the walkthrough did not print its keys"
ok "verdict PASS: collection $COLLECTION, token $TOKEN"
pass_step

# ─────────────────────────────────────────────────────────────────────────────────────────────────────
step "Ctrl-C: the stack stops, every port is free, no process is left"
CURRENT_LOG=$WORK/start-1.log
stop_stack
grep -q "anvil stopped" "$CURRENT_LOG" || fail "Ctrl-C did not report stopping anvil"
grep -q "^Stopped." "$CURRENT_LOG" || fail "Ctrl-C did not say it stopped"
port_open "$PORT" && fail "port $PORT is still open"
port_open "$RPC_PORT" && fail "port $RPC_PORT is still open"
left=$(tagged_pids)
[ -z "$left" ] || fail "processes left: $(for p in $left; do tr '\0' ' ' < "/proc/$p/cmdline"; echo; done)"
[ -f "$DATA/stack.lock" ] && fail "the lock file is left"
[ -s "$DATA/chain/state.json" ] || fail "anvil saved no state"
ok "ports $PORT and $RPC_PORT free, no process left, lock released, chain state saved"
pass_step

# ─────────────────────────────────────────────────────────────────────────────────────────────────────
step "npm start again: the same chain and data"
start_stack "$WORK/start-2.log" 180
grep -q "compiled, unchanged since the last build" "$CURRENT_LOG" || fail "it compiled again though nothing changed"
grep -q "restored from" "$CURRENT_LOG" || fail "anvil did not restore its state"
grep -q "npm run keys -- create --role admin" "$CURRENT_LOG" || fail "the banner does not say how to make a new admin key"
r=$(api "$ADMIN" "/v1/collections/$COLLECTION")
[ "$(status_of "$r")" = 200 ] || fail "collection $COLLECTION: $r"
r=$(api "$ADMIN" "/v1/tokens/$TOKEN")
[ "$(status_of "$r")" = 200 ] || fail "token $TOKEN: $r"
r=$(api "$ADMIN" "/v1/tokens/$TOKEN/provenance")
[ "$(body_of "$r" | jget integrity.passed)" = true ] || fail "provenance of $TOKEN after the restart: $r"
r=$(api "$ADMIN" "/v1/sandbox/verify")
[ "$(body_of "$r" | jget ok)" = true ] || fail "the sandbox log does not verify: $r"
ok "collection $COLLECTION and token $TOKEN served, provenance verified, sandbox log verifies, no recompile"
pass_step

# ─────────────────────────────────────────────────────────────────────────────────────────────────────
step "a second npm start against the running one is refused and touches nothing"
before=$(deployment_digest)
block_before=$(rpc eth_blockNumber)
CURRENT_LOG=$WORK/second.log
SMOKE_TAG=$TAG PORT=$PORT LOCAL_RPC_PORT=$RPC_PORT DATA_DIR=$DATA timeout 90 npm start > "$CURRENT_LOG" 2>&1
code=$?
[ $code -ne 0 ] && [ $code -ne 124 ] || fail "the second npm start exited $code"
grep -q "the stack is already running on .* gateway $GW, chain $RPC" "$CURRENT_LOG" || fail "it did not say where the stack runs"
grep -q "deploying\|compiling\|Deploying" "$CURRENT_LOG" && fail "it began to deploy or compile"
[ "$(deployment_digest)" = "$before" ] || fail "deployments changed"
[ "$(rpc eth_blockNumber)" = "$block_before" ] || fail "a transaction was sent to the chain"
[ "$(curl -sS -m 10 "$GW/healthz" | jget ok)" = true ] || fail "the running stack is no longer healthy"
ok "refused ($(grep -o 'the stack is already running on [^)]*)' "$CURRENT_LOG")), deployments and chain unchanged"
CURRENT_LOG=$WORK/start-2.log
stop_stack
pass_step

# ─────────────────────────────────────────────────────────────────────────────────────────────────────
step "the chain state is lost: stale data is moved aside and the registry deployed again"
rm "$DATA/chain/state.json"
start_stack "$WORK/start-3.log" 180
grep -q "stale data: .*it is a new chain. Moved the old data to .*stale-[0-9-]*/; deploying again." "$CURRENT_LOG" || fail "no stale-data line"
stale=$(ls -d "$DATA"/stale-*/ | head -1)
[ -f "$stale/gateway.db" ] && [ -d "$stale/ipfs" ] && [ -f "$stale/deployments/localhost.json" ] || fail "the old data is not in $stale"
ADMIN=$(grep -o 'dar_admin_[A-Za-z0-9_-]*' "$CURRENT_LOG" | head -1)
[ -n "$ADMIN" ] || fail "no admin key for the new data"
r=$(api "$ADMIN" "/v1/collections/1")
[ "$(status_of "$r")" = 404 ] || fail "collection 1 of the old chain is served: $r"
r=$(api "$ADMIN" "/v1/sandbox/verify")
[ "$(body_of "$r" | jget ok)" = true ] || fail "the new sandbox log does not verify: $r"
ok "stale-data line printed, old store, IPFS blocks and deployment in $(basename "$stale")/, new deployment serves"
stop_stack
pass_step

# ─────────────────────────────────────────────────────────────────────────────────────────────────────
step "npm start -- --demo: demo content through the API, and nothing twice"
start_stack "$WORK/start-4.log" 300 --demo
KEYS=$DATA/demo-keys.json
[ -f "$KEYS" ] || fail "no $KEYS"
key() { jget "keys.$1.token" < "$KEYS"; }
AUDITOR=$(key auditor)
REGULATOR=$(key regulator)
for role in admin attestor issuer auditor regulator; do
  grep -q "$(key $role)" "$CURRENT_LOG" || fail "the $role key is not printed"
done
apsaras=$(jget collections.apsaras.collectionId < "$KEYS")
greatwall=$(jget collections.greatWall.collectionId < "$KEYS")
[ "$(body_of "$(api "$AUDITOR" "/v1/collections/$apsaras")" | jget transferPolicy.mode)" = Locked ] || fail "collection $apsaras is not Locked"
[ "$(body_of "$(api "$AUDITOR" "/v1/collections/$greatwall")" | jget transferPolicy.mode)" = GiftToVerified ] || fail "collection $greatwall is not GiftToVerified"
[ "$(body_of "$(api "$AUDITOR" "/v1/collections/$greatwall")" | jget minted)" -ge 2 ] || fail "no editions minted in $greatwall"
gift=$(jget gift.tokenId < "$KEYS")
to=$(jget collectors.wangFang.address < "$KEYS")
owner=$(body_of "$(api "$AUDITOR" "/v1/tokens/$gift")" | jget owner)
[ "${owner,,}" = "${to,,}" ] || fail "the gift $gift is owned by $owner, not $to"
[ "$(body_of "$(api "$AUDITOR" "/v1/tokens/$gift/provenance")" | jget entries.1.kind)" = transfer ] || fail "the gift is not in the provenance"
frozen=$(jget frozen.tokenId < "$KEYS")
[ "$(body_of "$(api "$AUDITOR" "/v1/tokens/$frozen")" | jget frozen)" = true ] || fail "token $frozen is not frozen"
expiring=$(jget collectors.zhangWei.address < "$KEYS")
identity=$(body_of "$(api "$AUDITOR" "/v1/identities/$expiring")")
chain_now=$(node -e "console.log(Number(process.argv[1]))" "$(curl -sS -m 10 -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["latest",false]}' "$RPC" | jget result.timestamp)")
days=$(node -e 'console.log(((Date.parse(process.argv[1])/1000 - Number(process.argv[2]))/86400).toFixed(1))' "$(echo "$identity" | jget expiresAt)" "$chain_now")
[ "$(echo "$identity" | jget verified)" = true ] && node -e 'process.exit(Number(process.argv[1]) > 0 && Number(process.argv[1]) <= 30 ? 0 : 1)' "$days" || fail "collector $expiring does not expire within 30 days (in $days days): $identity"
for c in liMing wangFang; do
  [ "$(body_of "$(api "$AUDITOR" "/v1/identities/$(jget collectors.$c.address < "$KEYS")")" | jget level)" = 2 ] || fail "collector $c is not registered at level 2"
done
verify=$(body_of "$(api "$REGULATOR" "/v1/sandbox/verify")")
[ "$(echo "$verify" | jget ok)" = true ] && [ "$(echo "$verify" | jget onChain.count)" -ge 1 ] || fail "the sandbox log is not anchored and verified: $verify"
entries=$(echo "$verify" | jget entries)
ok "collections $apsaras (Locked) and $greatwall (GiftToVerified), gift $gift to $to, token $frozen frozen, a collector expiring in $days days, $entries log entries anchored"
node -r ts-node/register/transpile-only "$ROOT/test/smoke/demo-console.ts" "$GW" "$KEYS" "$WORK/console" || fail "a demo key does not open its role's pages with content in the console"
ok "each demo key opens its role's pages with content in the console (Chromium)"
stop_stack
start_stack "$WORK/start-5.log" 180 --demo
grep -q "already there, nothing added" "$CURRENT_LOG" || fail "the second demo run did not find its content"
[ "$(status_of "$(api "$AUDITOR" "/v1/collections/$((greatwall + 1))")")" = 404 ] || fail "the second demo run created another collection"
[ "$(body_of "$(api "$REGULATOR" "/v1/sandbox/verify")" | jget entries)" = "$entries" ] || fail "the second demo run wrote to the sandbox log"
ok "the second run added nothing"
stop_stack
port_open "$PORT" && fail "port $PORT is still open"
port_open "$RPC_PORT" && fail "port $RPC_PORT is still open"
[ -z "$(tagged_pids)" ] || fail "processes left after the last stop"
pass_step

echo
echo "NEWCOMER SMOKE TEST: PASS ($STEP steps in $(($(date +%s) - STARTED)) s)"
