/**
 * 日志锚定: is the sandbox log intact and anchored? "Verify now" recomputes the log's hash chain and
 * Merkle tree and checks every signed checkpoint against the EvidenceRegistry; "Anchor now" anchors a
 * signed checkpoint of the whole log. The checkpoints are listed with where each is anchored.
 */
import Button from "antd/es/button";
import Descriptions from "antd/es/descriptions";
import Space from "antd/es/space";
import Table from "antd/es/table";
import type { z } from "zod";
import type { CheckpointView } from "../../../../../shared/api/sandbox";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { Panel } from "../../../components/Panel";
import { StatusTag } from "../../../components/StatusTag";
import { TxResult } from "../../../components/WriteResult";
import { formatTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { useRouteMutation, useRouteQuery } from "../../../lib/query";
import { VerdictTag } from "../../explorer/components/IntegrityBadges";

type Checkpoint = z.infer<typeof CheckpointView>;

export default function AnchorPage() {
  const { t, tx, lang } = useI18n();
  const verify = useRouteQuery("verifyLog", {}, { staleTime: 0 });
  const checkpoints = useRouteQuery("listCheckpoints", {});
  const anchor = useRouteMutation("anchorLog", { invalidates: ["verifyLog", "readLog", "listCheckpoints"] });
  const v = verify.data;
  const cp = anchor.data?.checkpoint;

  return (
    <Page
      title={t("anchor.title")}
      subtitle={t("anchor.hint")}
      extra={
        <Space>
          <Button onClick={() => verify.refetch()} loading={verify.isFetching}>
            {t("anchor.verifyNow")}
          </Button>
          <Button type="primary" onClick={() => anchor.mutate({})} loading={anchor.isPending}>
            {t("anchor.anchorNow")}
          </Button>
        </Space>
      }
    >
      <ErrorAlert error={verify.error ?? anchor.error ?? checkpoints.error} />
      {anchor.data &&
        (cp ? (
          cp.anchor ? (
            <TxResult
              title={t("anchor.anchored", { size: cp.size })}
              txHash={cp.anchor.txHash}
              blockNumber={cp.anchor.blockNumber}
              rows={[
                [t("anchor.root"), <Hash value={cp.root} />],
                [t("anchor.checkpointIndex"), cp.anchor.index],
              ]}
            />
          ) : (
            <Panel>{t("anchor.signedNotAnchored", { size: cp.size })}</Panel>
          )
        ) : (
          <Panel>{t("anchor.nothing")}</Panel>
        ))}
      <Panel title={t("anchor.status")} loading={!v && !verify.error}>
        {v && (
          <>
            <Descriptions
              size="small"
              column={{ xs: 1, lg: 2 }}
              items={[
                {
                  key: "ok",
                  label: t("anchor.verdict"),
                  children: (
                    <span data-testid="verify-verdict" data-ok={v.ok}>
                      <StatusTag tone={v.ok ? "success" : "error"}>{v.ok ? t("anchor.intact") : t("anchor.broken")}</StatusTag>
                    </span>
                  ),
                },
                { key: "entries", label: t("anchor.entries"), children: v.entries },
                { key: "last", label: t("anchor.lastSeq"), children: v.lastSeq ?? "—" },
                { key: "root", label: t("anchor.root"), children: <Hash value={v.root} /> },
                { key: "onchain", label: t("anchor.onChain"), children: t("anchor.onChainValue", { checked: v.onChain.checked, count: v.onChain.count }) },
                { key: "unanchored", label: t("anchor.unanchored"), children: v.unanchored },
                ...(v.firstBad ? [{ key: "bad", label: t("anchor.firstBad"), children: t("anchor.firstBadValue", { seq: v.firstBad.seq, reason: v.firstBad.reason }) }] : []),
                ...(v.onChain.firstBad ? [{ key: "badcp", label: t("anchor.badCheckpoint"), children: `${v.onChain.firstBad.size}: ${v.onChain.firstBad.message}` }] : []),
                ...(v.legacy.checked > 0 ? [{ key: "legacy", label: t("anchor.legacy"), children: t("anchor.legacyValue", { ok: v.legacy.ok, checked: v.legacy.checked }) }] : []),
              ]}
            />
            <ul style={{ listStyle: "none", padding: 0, margin: "12px 0 0" }} data-testid="log-checks">
              {v.checks.map((c) => (
                <li key={c.check} style={{ padding: "4px 0" }}>
                  <strong style={{ marginInlineEnd: 8 }}>{tx(`logChecks.${c.check}`, c.check)}</strong>
                  <VerdictTag verdict={c.verdict} />
                  <span>{c.reason}</span>
                </li>
              ))}
            </ul>
            <p style={{ marginTop: 8, marginBottom: 0 }}>{verify.dataUpdatedAt > 0 && t("anchor.checkedAt", { time: formatTime(new Date(verify.dataUpdatedAt).toISOString(), lang) })}</p>
          </>
        )}
      </Panel>
      <Panel title={t("anchor.checkpoints", { n: checkpoints.data?.checkpoints.length ?? 0 })}>
        <Table<Checkpoint>
          rowKey={(c) => String(c.size)}
          size="small"
          loading={checkpoints.isLoading}
          dataSource={[...(checkpoints.data?.checkpoints ?? [])].reverse()}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 800 }}
          columns={[
            { title: t("anchor.size"), dataIndex: "size" },
            { title: t("anchor.root"), dataIndex: "root", render: (r: string) => <Hash value={r} /> },
            { title: t("common.time"), dataIndex: "createdAt", render: (v2: string) => formatTime(v2, lang) },
            {
              title: t("anchor.anchoredAt"),
              key: "anchor",
              render: (_, c) => (c.anchor ? <span>{t("common.block")} {c.anchor.blockNumber} · <Hash value={c.anchor.txHash} /></span> : <StatusTag tone="neutral">{t("anchor.notAnchored")}</StatusTag>),
            },
          ]}
        />
      </Panel>
    </Page>
  );
}
