/**
 * The chain of custody: mint, gifts, freezes, forced transfers, licences, burns — each with its
 * transaction and block, the parties' DIDs and levels at that block, and whether the recipient was
 * verified on arrival. Virtualised: a token with thousands of entries renders only what is on screen.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import Typography from "antd/es/typography";
import { useRef } from "react";
import { Link } from "react-router";
import type { CustodyEntry } from "../../../../../shared/api/tokens";
import { levelLabel } from "../../../../../shared/domain";
import { Hash } from "../../../components/Hash";
import { StatusTag, type Tone } from "../../../components/StatusTag";
import { formatTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";

const KIND_TONE: Record<CustodyEntry["kind"], Tone> = {
  mint: "success",
  transfer: "info",
  "forced-transfer": "warning",
  burn: "error",
  freeze: "error",
  unfreeze: "neutral",
  "licence-granted": "info",
  "licence-revoked": "neutral",
};

type Party = CustodyEntry["from"];

export function PartyView({ party, arrival }: { party: Party; arrival?: boolean }) {
  const { t, lang } = useI18n();
  if (!party) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span>
      <Link to={`/explorer/accounts/${party.address}`} className="mono" title={party.address}>
        {party.did ?? party.address}
      </Link>{" "}
      {party.level !== null && <Typography.Text type="secondary">({levelLabel(party.level, lang)})</Typography.Text>}{" "}
      {arrival && <StatusTag tone={party.verified ? "success" : "error"}>{party.verified ? t("provenance.verifiedOnArrival") : t("provenance.notVerifiedOnArrival")}</StatusTag>}
    </span>
  );
}

function detailsText(d: Record<string, unknown>): string {
  return Object.entries(d)
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
}

export function EntryRow({ e }: { e: CustodyEntry }) {
  const { t, tx, lang } = useI18n();
  const moves = e.kind === "mint" || e.kind === "transfer" || e.kind === "forced-transfer" || e.kind === "burn";
  const extra = detailsText(e.details);
  return (
    <div style={{ padding: "10px 12px", borderBottom: "1px solid #f0f0f0" }} data-testid="timeline-row" data-kind={e.kind}>
      <div style={{ display: "flex", flexWrap: "wrap", gap: 8, alignItems: "center" }}>
        <StatusTag tone={KIND_TONE[e.kind]}>{tx(`custody.${e.kind}`, e.kind)}</StatusTag>
        {e.forced && <StatusTag tone="warning">{t("provenance.forced")}</StatusTag>}
        <Typography.Text>{formatTime(e.time, lang)}</Typography.Text>
        <Typography.Text type="secondary">
          {t("common.block")} {e.blockNumber}
        </Typography.Text>
        <Hash value={e.txHash} />
      </div>
      <div style={{ marginTop: 4 }}>
        {moves ? (
          <>
            <PartyView party={e.from} /> → <PartyView party={e.to} arrival={e.kind !== "burn"} />
          </>
        ) : (
          <PartyView party={e.to ?? e.from} />
        )}
      </div>
      {extra && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {extra}
        </Typography.Text>
      )}
    </div>
  );
}

export function ProvenanceTimeline({ entries }: { entries: CustodyEntry[] }) {
  const { t } = useI18n();
  const parent = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: entries.length, getScrollElement: () => parent.current, estimateSize: () => 84, overscan: 8 });
  return (
    <div
      ref={parent}
      tabIndex={0}
      role="region"
      aria-label={t("provenance.timeline")}
      style={{ maxHeight: 560, overflow: "auto", border: "1px solid #f0f0f0", borderRadius: 8 }}
      data-testid="timeline"
      data-count={entries.length}
    >
      <div style={{ height: v.getTotalSize(), position: "relative" }}>
        {v.getVirtualItems().map((item) => (
          <div key={item.key} data-index={item.index} ref={v.measureElement} style={{ position: "absolute", top: 0, left: 0, width: "100%", transform: `translateY(${item.start}px)` }}>
            <EntryRow e={entries[item.index]} />
          </div>
        ))}
      </div>
    </div>
  );
}
