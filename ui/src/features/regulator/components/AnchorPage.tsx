/**
 * 日志锚定: is the sandbox log intact and anchored? "Verify now" recomputes the chain of hashes and checks
 * every anchor against the EvidenceRegistry; "Anchor now" anchors what is not anchored yet.
 */
import Button from "antd/es/button";
import Descriptions from "antd/es/descriptions";
import Space from "antd/es/space";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { StatusTag } from "../../../components/StatusTag";
import { TxResult } from "../../../components/WriteResult";
import { formatTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { useRouteMutation, useRouteQuery } from "../../../lib/query";
import { Panel } from "../../../components/Panel";

export default function AnchorPage() {
  const { t, lang } = useI18n();
  const verify = useRouteQuery("verifyLog", {}, { staleTime: 0 });
  const anchor = useRouteMutation("anchorLog", { invalidates: ["verifyLog", "readLog"] });
  const v = verify.data;
  const a = anchor.data?.anchor;

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
      <ErrorAlert error={verify.error ?? anchor.error} />
      <Panel title={t("anchor.status")} loading={!v && !verify.error} style={{ marginBottom: 16 }}>
        {v && (
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
              { key: "anchors", label: t("anchor.anchors"), children: t("anchor.anchorsValue", { ok: v.anchors.ok, checked: v.anchors.checked }) },
              { key: "onchain", label: t("anchor.onChain"), children: v.anchors.onChain ? t("common.yes") : t("common.no") },
              { key: "unanchored", label: t("anchor.unanchored"), children: v.unanchored },
              ...(v.firstBad ? [{ key: "bad", label: t("anchor.firstBad"), children: t("anchor.firstBadValue", { seq: v.firstBad.seq, reason: v.firstBad.reason }) }] : []),
              ...(v.badAnchor ? [{ key: "badAnchor", label: t("anchor.badAnchor"), children: t("anchor.badAnchorValue", { id: v.badAnchor.id, reason: v.badAnchor.reason }) }] : []),
            ]}
          />
        )}
        <p style={{ marginTop: 8, marginBottom: 0 }}>{verify.dataUpdatedAt > 0 && t("anchor.checkedAt", { time: formatTime(new Date(verify.dataUpdatedAt).toISOString(), lang) })}</p>
      </Panel>
      {anchor.data &&
        (a ? (
          <TxResult
            title={t("anchor.anchored", { from: a.fromSeq, to: a.toSeq })}
            txHash={a.txHash}
            blockNumber={a.blockNumber}
            rows={[
              [t("anchor.root"), <Hash value={a.root} />],
              [t("evidence.id"), <Hash value={a.evidenceId} />],
            ]}
          />
        ) : (
          <Panel>{t("anchor.nothing")}</Panel>
        ))}
    </Page>
  );
}
