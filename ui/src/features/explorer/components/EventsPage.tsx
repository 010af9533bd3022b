/** 事件: the registry's events from the index, filtered, paged by cursor, exported as CSV (GET /v1/events). */
import Button from "antd/es/button";
import Input from "antd/es/input";
import InputNumber from "antd/es/input-number";
import Select from "antd/es/select";
import Table from "antd/es/table";
import { useMutation } from "@tanstack/react-query";
import { DateTimeInput } from "../../../components/DateTimeInput";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { EVENT_TYPES, type IndexedEvent } from "../../../../../shared/api/queries";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { FilterBar } from "../../../components/FilterBar";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { Pager, useCursor } from "../../../components/Pager";
import { download } from "../../../lib/files";
import { formatTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { useRouteQuery } from "../../../lib/query";
import { useApi } from "../../../lib/session";

interface Filters {
  type?: (typeof EVENT_TYPES)[number];
  txHash?: string;
  address?: string;
  tokenId?: string;
  collectionId?: string;
  fromBlock?: number;
  toBlock?: number;
  from?: string;
  to?: string;
}

const toQuery = (f: Filters) => ({
  type: f.type || undefined,
  txHash: f.txHash?.trim() || undefined,
  address: f.address?.trim() || undefined,
  tokenId: f.tokenId?.trim() || undefined,
  collectionId: f.collectionId?.trim() || undefined,
  fromBlock: f.fromBlock ?? undefined,
  toBlock: f.toBlock ?? undefined,
  from: f.from,
  to: f.to,
});

export default function EventsPage() {
  const { t, tx, lang } = useI18n();
  const api = useApi();
  const pager = useCursor();
  // A search hit for a transaction opens this page as /explorer/events?txHash=0x…: what that transaction did.
  const [params] = useSearchParams();
  const initial: Filters = { txHash: params.get("txHash") ?? undefined };
  const [filters, setFilters] = useState<ReturnType<typeof toQuery>>(toQuery(initial));
  const events = useRouteQuery("listEvents", { query: { ...filters, cursor: pager.cursor, limit: 50 } }, { placeholderData: (p) => p });
  const exportCsv = useMutation({
    mutationFn: async () => {
      const res = await api.raw("listEvents", { query: { ...filters, format: "csv", limit: 1000 } });
      download(await res.blob(), `events-${new Date().toISOString().slice(0, 19).replace(/:/g, "")}.csv`);
    },
  });

  return (
    <Page title={t("events.title")} subtitle={t("events.hint")}>
      <FilterBar<Filters>
        name="events-filters"
        initial={initial}
        onApply={(f) => {
          setFilters(toQuery(f));
          pager.reset();
        }}
        extra={
          <Button onClick={() => exportCsv.mutate()} loading={exportCsv.isPending}>
            {t("common.exportCsv")}
          </Button>
        }
        fields={[
          {
            name: "type",
            label: t("events.type"),
            input: (p) => <Select id={p.id} allowClear style={{ width: 200 }} value={p.value as string | undefined} onChange={(v) => p.onChange(v as never)} options={EVENT_TYPES.map((e) => ({ value: e, label: tx(`eventTypes.${e}`, e) }))} />,
          },
          { name: "txHash", label: t("common.transaction"), input: (p) => <Input id={p.id} className="mono" style={{ width: 200 }} value={(p.value as string) ?? ""} onChange={(e) => p.onChange(e.target.value)} /> },
          { name: "address", label: t("common.address"), input: (p) => <Input id={p.id} className="mono" style={{ width: 200 }} value={(p.value as string) ?? ""} onChange={(e) => p.onChange(e.target.value)} /> },
          { name: "tokenId", label: t("common.token"), input: (p) => <Input id={p.id} style={{ width: 140 }} value={(p.value as string) ?? ""} onChange={(e) => p.onChange(e.target.value)} /> },
          { name: "collectionId", label: t("common.collection"), input: (p) => <Input id={p.id} style={{ width: 90 }} value={(p.value as string) ?? ""} onChange={(e) => p.onChange(e.target.value)} /> },
          { name: "fromBlock", label: t("events.fromBlock"), input: (p) => <InputNumber id={p.id} min={0} style={{ width: 110 }} value={p.value as number | undefined} onChange={(v) => p.onChange((v ?? undefined) as never)} /> },
          { name: "toBlock", label: t("events.toBlock"), input: (p) => <InputNumber id={p.id} min={0} style={{ width: 110 }} value={p.value as number | undefined} onChange={(v) => p.onChange((v ?? undefined) as never)} /> },
          { name: "from", label: t("common.timeFrom"), input: (p) => <DateTimeInput id={p.id} value={p.value as string | undefined} onChange={(v) => p.onChange(v as never)} /> },
          { name: "to", label: t("common.timeTo"), input: (p) => <DateTimeInput id={p.id} value={p.value as string | undefined} onChange={(v) => p.onChange(v as never)} /> },
        ]}
      />
      <ErrorAlert error={events.error ?? exportCsv.error} />
      <Table<IndexedEvent>
        rowKey={(e) => `${e.blockNumber}-${e.logIndex}`}
        size="small"
        loading={events.isFetching}
        dataSource={events.data?.items ?? []}
        pagination={false}
        scroll={{ x: 1100 }}
        columns={[
          { title: t("events.type"), dataIndex: "type", render: (v: string) => tx(`eventTypes.${v}`, v) },
          { title: t("common.time"), dataIndex: "time", render: (v: string) => formatTime(v, lang) },
          { title: t("common.block"), dataIndex: "blockNumber" },
          { title: t("common.collection"), dataIndex: "collectionId", render: (v: string | null) => (v ? <Link to={`/explorer/collections/${v}`}>#{v}</Link> : "—") },
          { title: t("common.token"), dataIndex: "tokenId", render: (v: string | null) => (v ? <Link to={`/explorer/tokens/${v}`}>{v}</Link> : "—") },
          { title: t("events.from"), dataIndex: "from", render: (v: string | null) => <Hash value={v} /> },
          { title: t("events.to"), dataIndex: "to", render: (v: string | null) => <Hash value={v} /> },
          { title: t("events.actor"), dataIndex: "actor", render: (v: string | null) => <Hash value={v} /> },
          { title: t("common.transaction"), dataIndex: "txHash", render: (v: string) => <Hash value={v} /> },
        ]}
      />
      <Pager pager={pager} nextCursor={events.data?.nextCursor} loading={events.isFetching} />
    </Page>
  );
}
