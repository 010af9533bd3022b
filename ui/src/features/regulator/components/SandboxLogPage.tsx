/**
 * 沙盒日志: every decision and action on the record, filtered by actor, action, rule, decision,
 * collection, token and time; paged by cursor; exported as CSV or JSONL with the same filters.
 */
import AutoComplete from "antd/es/auto-complete";
import Button from "antd/es/button";
import Input from "antd/es/input";
import Select from "antd/es/select";
import Typography from "antd/es/typography";
import { useMutation } from "@tanstack/react-query";
import { DateTimeInput } from "../../../components/DateTimeInput";
import { lazy, Suspense, useState } from "react";
import { Link } from "react-router";
import type { z } from "zod";
import type { LogEntrySchema } from "../../../../../shared/api/log-entry";
import { LOG_ACTIONS, LOG_DECISIONS, RULE_IDS, actionLabel, roleLabel, ruleLabel } from "../../../../../shared/domain";
import { DataTable } from "../../../components/DataTable";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { FilterBar } from "../../../components/FilterBar";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { Pager, useCursor } from "../../../components/Pager";
import { StatusTag, type Tone } from "../../../components/StatusTag";
import { download } from "../../../lib/files";
import { formatTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { useRouteQuery } from "../../../lib/query";
import { useApi } from "../../../lib/session";

type Entry = z.infer<typeof LogEntrySchema>;
// Merkle and Ed25519 code, only when a receipt is asked for.
const ReceiptCheck = lazy(() => import("./ReceiptCheck"));

interface Filters {
  actor?: string;
  action?: string;
  rule?: string;
  decision?: string;
  collection?: string;
  token?: string;
  from?: string;
  to?: string;
}
const toQuery = (f: Filters) => ({
  actor: f.actor?.trim() || undefined,
  action: f.action?.trim() || undefined,
  rule: f.rule?.trim() || undefined,
  decision: f.decision || undefined,
  collection: f.collection?.trim() || undefined,
  token: f.token?.trim() || undefined,
  from: f.from,
  to: f.to,
});

const DECISION_TONE: Record<string, Tone> = { passed: "success", sent: "success", done: "success", anchored: "success", failed: "error", denied: "error", refused: "error", unavailable: "warning", unknown: "warning" };

export default function SandboxLogPage() {
  const { t, lang } = useI18n();
  const api = useApi();
  const pager = useCursor<number>();
  const [filters, setFilters] = useState(toQuery({}));
  const log = useRouteQuery("readLog", { query: { ...filters, cursor: pager.cursor, limit: 100 } }, { placeholderData: (p) => p });
  const exportLog = useMutation({
    mutationFn: async (format: "csv" | "jsonl" | "bundle") => {
      // CSV and JSONL with the filters applied; the bundle is the whole log with its checkpoints and proofs, for offline verification.
      const { from, to, actor, action, rule, decision, collection, token } = filters;
      const res = await api.raw("exportLog", { query: { from, to, actor, action, rule, decision, collection, token, format } });
      const ext = format === "bundle" ? "bundle.jsonl" : format;
      download(await res.blob(), `sandbox-log-${new Date().toISOString().slice(0, 19).replace(/:/g, "")}.${ext}`);
    },
  });

  return (
    <Page title={t("log.title")} subtitle={t("log.hint")}>
      <FilterBar<Filters>
        name="log-filters"
        onApply={(f) => {
          setFilters(toQuery(f));
          pager.reset();
        }}
        extra={
          <>
            <Button onClick={() => exportLog.mutate("csv")} loading={exportLog.isPending && exportLog.variables === "csv"}>
              {t("common.exportCsv")}
            </Button>
            <Button onClick={() => exportLog.mutate("jsonl")} loading={exportLog.isPending && exportLog.variables === "jsonl"}>
              {t("common.exportJsonl")}
            </Button>
            <Button onClick={() => exportLog.mutate("bundle")} loading={exportLog.isPending && exportLog.variables === "bundle"}>
              {t("log.exportBundle")}
            </Button>
          </>
        }
        fields={[
          { name: "actor", label: t("log.actor"), input: (p) => <Input id={p.id} style={{ width: 150 }} value={p.value ?? ""} onChange={(e) => p.onChange(e.target.value)} /> },
          {
            name: "action",
            label: t("log.action"),
            input: (p) => (
              <AutoComplete id={p.id} style={{ width: 200 }} value={p.value} onChange={(v) => p.onChange(v)} options={Object.keys(LOG_ACTIONS).map((a) => ({ value: a, label: `${actionLabel(a, lang)} (${a})` }))} />
            ),
          },
          {
            name: "rule",
            label: t("log.rule"),
            input: (p) => <AutoComplete id={p.id} style={{ width: 180 }} value={p.value} onChange={(v) => p.onChange(v)} options={RULE_IDS.map((r) => ({ value: r, label: ruleLabel(r, lang) }))} />,
          },
          {
            name: "decision",
            label: t("log.decision"),
            input: (p) => <Select id={p.id} allowClear style={{ width: 130 }} value={p.value} onChange={(v) => p.onChange(v)} options={Object.entries(LOG_DECISIONS).map(([k, v]) => ({ value: k, label: v[lang] }))} />,
          },
          { name: "collection", label: t("common.collection"), input: (p) => <Input id={p.id} style={{ width: 90 }} value={p.value ?? ""} onChange={(e) => p.onChange(e.target.value)} /> },
          { name: "token", label: t("common.token"), input: (p) => <Input id={p.id} style={{ width: 140 }} value={p.value ?? ""} onChange={(e) => p.onChange(e.target.value)} /> },
          { name: "from", label: t("common.timeFrom"), input: (p) => <DateTimeInput id={p.id} value={p.value} onChange={(v) => p.onChange(v)} /> },
          { name: "to", label: t("common.timeTo"), input: (p) => <DateTimeInput id={p.id} value={p.value} onChange={(v) => p.onChange(v)} /> },
        ]}
      />
      <ErrorAlert error={log.error ?? exportLog.error} />
      <DataTable<Entry>
        label={t("log.title")}
        testId="log-table"
        rowKey={(e) => String(e.seq)}
        loading={log.isFetching}
        rows={log.data?.entries ?? []}
        expand={(e) => (
          <>
            {e.payload !== null && e.payload !== undefined && (
              <pre className="mono" style={{ margin: 0, whiteSpace: "pre-wrap" }}>
                {JSON.stringify(e.payload, null, 2)}
              </pre>
            )}
            <div className="mono">
              {t("log.hash")}: {e.hash}
            </div>
            <Suspense fallback={null}>
              <ReceiptCheck entry={e} />
            </Suspense>
          </>
        )}
        columns={[
          { key: "seq", title: "#", width: 70, render: (e) => e.seq },
          { key: "ts", title: t("common.time"), width: 180, render: (e) => formatTime(e.ts, lang) },
          {
            key: "actor",
            title: t("log.actor"),
            render: (e) => {
              // The key's label and role when the actor is an API key; the key id stays in the tooltip.
              const who = log.data?.actors[e.actor];
              return who ? (
                <span title={e.actor}>
                  {who.label} <Typography.Text type="secondary">({roleLabel(who.role, lang)})</Typography.Text>
                </span>
              ) : (
                <Typography.Text className="mono" title={e.actor}>
                  {e.actor.length > 14 ? `${e.actor.slice(0, 8)}…` : e.actor}
                </Typography.Text>
              );
            },
          },
          { key: "action", title: t("log.action"), render: (e) => <span title={e.action}>{actionLabel(e.action, lang)}</span> },
          { key: "rule", title: t("log.rule"), render: (e) => (e.rule ? ruleLabel(e.rule, lang) : "") },
          {
            key: "decision",
            title: t("log.decision"),
            render: (e) =>
              e.decision ? (
                <StatusTag tone={DECISION_TONE[e.decision] ?? "neutral"}>{(LOG_DECISIONS as Record<string, { zh: string; en: string }>)[e.decision]?.[lang] ?? e.decision}</StatusTag>
              ) : (
                ""
              ),
          },
          { key: "collection", title: t("common.collection"), render: (e) => (e.collectionId ? <Link to={`/explorer/collections/${e.collectionId}`}>#{e.collectionId}</Link> : "") },
          { key: "token", title: t("common.token"), render: (e) => (e.tokenId ? <Link to={`/explorer/tokens/${e.tokenId}`}>{e.tokenId}</Link> : "") },
          { key: "ref", title: t("log.ref"), render: (e) => (e.ref ? <Hash value={e.ref} /> : "") },
        ]}
      />
      <Pager pager={pager} nextCursor={log.data?.nextCursor} loading={log.isFetching} />
    </Page>
  );
}
