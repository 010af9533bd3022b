/**
 * 续期队列: active identities that expire within N days, soonest first (GET /v1/identities?expiringWithinDays=),
 * selected and renewed in bulk, with a result per identity.
 */
import Button from "antd/es/button";
import Form from "antd/es/form";
import InputNumber from "antd/es/input-number";
import Space from "antd/es/space";
import Table from "antd/es/table";
import Typography from "antd/es/typography";
import { DateTimeInput, daysFromNow } from "../../../components/DateTimeInput";
import { useState } from "react";
import { Link } from "react-router";
import type { IdentitySummary } from "../../../../../shared/api/queries";
import { levelLabel } from "../../../../../shared/domain";
import { ErrorAlert, useReadableError } from "../../../components/ErrorAlert";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { Pager, useCursor } from "../../../components/Pager";
import { ReasonModal } from "../../../components/ReasonModal";
import { StatusTag } from "../../../components/StatusTag";
import { isUnsigned } from "../../../components/WriteResult";
import { formatTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { settle, useRouteQuery } from "../../../lib/query";
import { useApi } from "../../../lib/session";
import { useQueryClient } from "@tanstack/react-query";
import { contentKey } from "../api/keys";
import { Panel } from "../../../components/Panel";

type Outcome = { state: "sending" } | { state: "done"; txHash: string } | { state: "failed"; error: unknown };

export default function RenewalQueuePage() {
  const { t, lang } = useI18n();
  const api = useApi();
  const queryClient = useQueryClient();
  const read = useReadableError();
  const [days, setDays] = useState(30);
  const pager = useCursor();
  // Counted on the chain's clock by the gateway: expiry is checked against block time, not this browser's clock.
  const list = useRouteQuery("listIdentities", { query: { expiringWithinDays: days, status: "Active", cursor: pager.cursor, limit: 50 } }, { placeholderData: (p) => p });
  const [selected, setSelected] = useState<string[]>([]);
  const [open, setOpen] = useState(false);
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});

  const items = list.data?.items ?? [];
  const renewAll = async (v: { reason: string; expiresAt: string }) => {
    setOpen(false);
    for (const id of selected) {
      const identity = items.find((i) => i.identityId === id);
      if (!identity) continue;
      setOutcomes((o) => ({ ...o, [id]: { state: "sending" } }));
      try {
        // The renewal keeps the dossier on record unless the attestor renews it one by one.
        const body = { expiresAt: v.expiresAt, kycEvidenceHash: identity.evidenceHash, reason: v.reason };
        const reply = await settle(api, await api.call("renewIdentity", { params: { identityId: id }, body, headers: { "idempotency-key": await contentKey("renew", id, body) } }));
        setOutcomes((o) => ({ ...o, [id]: isUnsigned(reply) ? { state: "failed", error: new Error("unsigned") } : { state: "done", txHash: reply.txHash } }));
      } catch (e) {
        setOutcomes((o) => ({ ...o, [id]: { state: "failed", error: e } }));
      }
    }
    await queryClient.invalidateQueries({ queryKey: ["listIdentities"] });
    setSelected([]);
  };

  return (
    <Page title={t("renewals.title")} subtitle={t("renewals.hint")}>
      <Space style={{ marginBottom: 16 }} wrap>
        <label htmlFor="renewal-days">{t("renewals.within")}</label>
        <InputNumber
          id="renewal-days"
          min={1}
          max={3650}
          value={days}
          onChange={(v) => {
            setDays(v ?? 30);
            pager.reset();
          }}
        />
        <Typography.Text>{t("renewals.days")}</Typography.Text>
        <Button type="primary" disabled={selected.length === 0} onClick={() => setOpen(true)}>
          {t("renewals.renewSelected", { n: selected.length })}
        </Button>
      </Space>
      <ErrorAlert error={list.error} />
      <Panel>
        <Table<IdentitySummary>
          rowKey="identityId"
          size="small"
          loading={list.isFetching}
          dataSource={items}
          pagination={false}
          scroll={{ x: 900 }}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
          columns={[
            {
              title: t("identity.did"),
              dataIndex: "did",
              render: (did: string, r) => (
                <Link to={`/identities?q=${encodeURIComponent(r.wallets[0] ?? did)}`} className="mono">
                  {did.length > 40 ? `${did.slice(0, 24)}…${did.slice(-8)}` : did}
                </Link>
              ),
            },
            { title: t("identity.level"), dataIndex: "level", render: (l: number) => levelLabel(l, lang) },
            { title: t("identity.expiresAt"), dataIndex: "expiresAt", render: (v: string) => formatTime(v, lang) },
            { title: t("identity.wallets"), dataIndex: "wallets", render: (w: string[]) => <Hash value={w[0]} /> },
            {
              title: t("identity.result"),
              key: "outcome",
              render: (_, r) => {
                const o = outcomes[r.identityId];
                if (!o) return null;
                if (o.state === "sending") return <StatusTag tone="info">{t("identity.rowState.sending")}</StatusTag>;
                if (o.state === "done")
                  return (
                    <>
                      <StatusTag tone="success">{t("renewals.renewed")}</StatusTag>
                      <Hash value={o.txHash} />
                    </>
                  );
                const e = read(o.error);
                return (
                  <>
                    <StatusTag tone="error">{t("identity.rowState.failed")}</StatusTag>
                    {e.message} {e.code && <Typography.Text code>{e.code}</Typography.Text>}
                  </>
                );
              },
            },
          ]}
        />
        <Pager pager={pager} nextCursor={list.data?.nextCursor} loading={list.isFetching} />
      </Panel>
      <ReasonModal<{ reason: string; expiresAt: string }>
        open={open}
        title={t("renewals.renewSelected", { n: selected.length })}
        onCancel={() => setOpen(false)}
        onSubmit={renewAll}
        initialValues={{ expiresAt: daysFromNow(365) }}
      >
        <Form.Item label={t("identity.newExpiry")} name="expiresAt" rules={[{ required: true, message: t("form.required") }]}>
          <DateTimeInput style={{ width: "100%" }} />
        </Form.Item>
      </ReasonModal>
    </Page>
  );
}
