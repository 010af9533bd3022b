/**
 * An entry's receipt, verified in this browser: GET /v1/sandbox/logs/:seq/proof and the log's public key,
 * then shared/log's RFC 9162 checks — the entry's bytes hash to the receipt's leaf, the proof leads to the
 * root, and the root is in a checkpoint signed by the log's key (and, once anchored, in the checkpoint on
 * chain). Nothing here trusts the gateway's word. Loaded when a row's receipt is asked for.
 */
import Button from "antd/es/button";
import { useMutation } from "@tanstack/react-query";
import type { z } from "zod";
import type { LogEntrySchema } from "../../../../../shared/api/log-entry";
import { entryBytes } from "../../../../../shared/log/entry";
import { verifyReceipt } from "../../../../../shared/log/receipt";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { StatusTag } from "../../../components/StatusTag";
import { useI18n } from "../../../lib/i18n";
import { useApi } from "../../../lib/session";

type Entry = z.infer<typeof LogEntrySchema>;

export default function ReceiptCheck({ entry }: { entry: Entry }) {
  const { t } = useI18n();
  const api = useApi();
  const check = useMutation({
    mutationFn: async () => {
      const [proof, key] = await Promise.all([api.call("logProof", { params: { seq: entry.seq } }), api.call("logKey")]);
      // The entry as shown on this page, not the one the proof came with.
      const bytes = entryBytes(entry);
      const sameEntry = proof.entry.hash.toLowerCase() === entry.hash.toLowerCase();
      const latest = verifyReceipt(proof.latest, bytes, key.verifierKey, { origin: key.origin });
      const anchored = proof.anchored ? verifyReceipt(proof.anchored.receipt, bytes, key.verifierKey, { origin: key.origin }) : null;
      return { sameEntry, latest, anchored, anchor: proof.anchored?.anchor ?? null };
    },
  });
  const r = check.data;
  return (
    <div style={{ marginTop: 8 }} data-testid={`receipt-${entry.seq}`}>
      <Button size="small" onClick={() => check.mutate()} loading={check.isPending}>
        {t("receipt.verify")}
      </Button>
      <ErrorAlert error={check.error} />
      {r && (
        <ul style={{ margin: "8px 0 0", paddingInlineStart: 20 }}>
          <li>
            <StatusTag tone={r.sameEntry && r.latest.ok ? "success" : "error"}>{r.sameEntry && r.latest.ok ? t("receipt.valid") : t("receipt.invalid")}</StatusTag>
            {r.latest.ok ? t("receipt.included", { index: r.latest.index + 1, size: r.latest.treeSize }) : `${r.latest.reason}: ${r.latest.message}`}
            {!r.sameEntry && ` ${t("receipt.otherEntry")}`}
          </li>
          <li>
            {r.anchored === null ? (
              <StatusTag tone="neutral">{t("receipt.notAnchored")}</StatusTag>
            ) : r.anchored.ok ? (
              <>
                <StatusTag tone="success">{t("receipt.anchoredOk")}</StatusTag>
                {t("receipt.anchoredAt", { size: r.anchored.treeSize, block: r.anchor?.blockNumber ?? "—" })}
              </>
            ) : (
              <>
                <StatusTag tone="error">{t("receipt.invalid")}</StatusTag>
                {`${r.anchored.reason}: ${r.anchored.message}`}
              </>
            )}
          </li>
        </ul>
      )}
    </div>
  );
}
