import { toHex } from "../../shared/log/bytes";
import { toJsonSafe } from "../../shared/log/canonical";
import { CSV_COLUMNS, csvRow, EXPORT_FORMAT, EXPORT_VERSION, exportLine, TREE_SCHEME } from "../../shared/log/export";
import type { Chain } from "../chain/chain";
import type { CheckpointRecord, LogFilter, Store } from "../store/store";
import type { Journal } from "./journal";
import type { LogIdentity } from "./log-key";

export type ExportFormat = "jsonl" | "csv" | "bundle";

const PAGE = 1000;

/**
 * The sandbox log's exports, chunk by chunk, as of the call (later appends are not included):
 * - `csv`: RFC 4180 with a header row, CRLF line ends, payload as a JSON column;
 * - `jsonl`: header and entries (filtered as asked), then the checkpoints and anchors that cover them;
 * - `bundle`: the offline bundle, unfiltered: header, every entry, every checkpoint (signed, with where it
 *   is anchored) and one of the bundle's whole size signed at export, the consistency proof between each
 *   pair of successive checkpoints, and the anchors of the first scheme. `npm run verify -- log <bundle>` checks it with only a JSON-RPC endpoint.
 */
export async function* exportLog(
  deps: { store: Store; journal: Journal; identity: LogIdentity; chain?: Chain; now?: () => Date },
  filter: Omit<LogFilter, "afterSeq" | "limit">,
  format: ExportFormat,
): AsyncGenerator<string> {
  const { store, journal, identity } = deps;
  const f = format === "bundle" ? {} : filter;
  const size = await journal.size();
  if (format === "csv") yield `${CSV_COLUMNS.join(",")}\r\n`;
  else {
    yield `${exportLine({
      type: "header",
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      generatedAt: (deps.now?.() ?? new Date()).toISOString(),
      chainId: deps.chain?.chainId ?? null,
      evidenceRegistry: deps.chain?.deployment.contracts.evidenceRegistry.address ?? null,
      origin: identity.origin,
      logId: identity.logId,
      verifierKey: identity.verifierKey,
      leafHashFrom: journal.firstLeafHashSeq,
      tree: TREE_SCHEME,
      size,
      filter: toJsonSafe(f) as Record<string, unknown>,
    })}\n`;
  }
  let after = 0;
  for (;;) {
    const rows = (await store.log.list({ ...f, afterSeq: after, limit: PAGE })).filter((e) => e.seq <= size);
    for (const e of rows) yield format === "csv" ? `${csvRow(e)}\r\n` : `${exportLine({ type: "entry", ...e })}\n`;
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1].seq;
  }
  if (format === "csv") return;
  const checkpoints: Array<Pick<CheckpointRecord, "size" | "root" | "note" | "anchor">> = (await store.checkpoints.list()).filter((c) => c.size <= size);
  if (format === "bundle" && size > 0 && checkpoints.at(-1)?.size !== size) {
    // The bundle's own head, signed now: the entries after the last stored checkpoint are covered by the
    // log's signature too (not yet by the chain), so every entry in the bundle has a receipt.
    const root = await journal.root(size);
    checkpoints.push({ size, root: `0x${toHex(root)}`, note: identity.sign(size, root), anchor: null });
  }
  for (const c of checkpoints) yield `${exportLine({ type: "checkpoint", size: c.size, root: c.root, note: c.note, anchor: c.anchor })}\n`;
  if (format === "bundle") {
    for (let i = 1; i < checkpoints.length; i++) {
      const proof = await journal.consistency(checkpoints[i - 1].size, checkpoints[i].size);
      yield `${exportLine({ type: "consistency", from: checkpoints[i - 1].size, to: checkpoints[i].size, proof: proof.map((p) => `0x${toHex(p)}`) })}\n`;
    }
  }
  for (const a of await store.anchors.list()) {
    yield `${exportLine({ type: "anchor", fromSeq: a.fromSeq, toSeq: a.toSeq, root: a.root, evidenceId: a.evidenceId, txHash: a.txHash, blockNumber: a.blockNumber, createdAt: a.createdAt })}\n`;
  }
}
