/**
 * 身份查询: an identity by wallet address, DID or identity id, with its DID document and its history; an
 * attestor renews it and links or unlinks wallets from here.
 */
import Button from "antd/es/button";
import Col from "antd/es/col";
import Descriptions from "antd/es/descriptions";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Row from "antd/es/row";
import Space from "antd/es/space";
import Table from "antd/es/table";
import Typography from "antd/es/typography";
import { DateTimeInput } from "../../../components/DateTimeInput";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { Address, Bytes32 } from "../../../../../shared/api/common";
import type { IdentityView } from "../../../../../shared/api/identities";
import { levelLabel, statusLabel } from "../../../../../shared/domain";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { ReasonModal } from "../../../components/ReasonModal";
import { StatusTag } from "../../../components/StatusTag";
import { TxResult, UnsignedTransactions, isUnsigned } from "../../../components/WriteResult";
import { formatTime } from "../../../lib/format";
import { zodRule } from "../../../lib/form";
import { useI18n } from "../../../lib/i18n";
import { useRouteMutation } from "../../../lib/query";
import { useWhoAmI } from "../../auth/api/use-who-am-i";
import { contentKey } from "../api/keys";
import { lookupKind, useDid, useIdentityById, useIdentityHistory, useIdentityOfWallet } from "../api/use-identity";
import { Panel } from "../../../components/Panel";

type Action = { kind: "renew" } | { kind: "link" } | { kind: "unlink"; wallet: string } | null;

function Actions({ identity }: { identity: IdentityView }) {
  const { t } = useI18n();
  const [action, setAction] = useState<Action>(null);
  const inv = { invalidates: ["getIdentityOfWallet", "resolveDid", "identityHistory", "listIdentities"] as const };
  const renew = useRouteMutation("renewIdentity", { invalidates: [...inv.invalidates] });
  const link = useRouteMutation("linkWallet", { invalidates: [...inv.invalidates] });
  const unlink = useRouteMutation("unlinkWallet", { invalidates: [...inv.invalidates] });
  const last = [renew, link, unlink].find((m) => m.data || m.error);
  const close = () => setAction(null);
  const id = identity.identityId;

  return (
    <Panel title={t("identity.actions")} style={{ marginBottom: 16 }}>
      <Space wrap>
        <Button onClick={() => setAction({ kind: "renew" })}>{t("identity.renew")}</Button>
        <Button onClick={() => setAction({ kind: "link" })}>{t("identity.linkWallet")}</Button>
        {identity.wallets.map((w) => (
          <Button key={w} danger onClick={() => setAction({ kind: "unlink", wallet: w })}>
            {t("identity.unlinkWallet", { wallet: `${w.slice(0, 8)}…` })}
          </Button>
        ))}
      </Space>
      <div style={{ marginTop: 16 }}>
        <ErrorAlert error={last?.error} />
        {last?.data && isUnsigned(last.data) && <UnsignedTransactions reply={last.data} />}
        {last?.data && !isUnsigned(last.data) && <TxResult title={t("identity.actionDone")} txHash={last.data.txHash} blockNumber={last.data.blockNumber} />}
      </div>
      <ReasonModal<{ reason: string; expiresAt: string; kycEvidenceHash: string }>
        open={action?.kind === "renew"}
        title={t("identity.renew")}
        onCancel={close}
        busy={renew.isPending}
        initialValues={{ expiresAt: new Date(Math.max(Date.parse(identity.expiresAt), Date.now()) + 365 * 86_400_000).toISOString(), kycEvidenceHash: identity.evidenceHash }}
        onSubmit={async (v) => {
          const body = { expiresAt: v.expiresAt, kycEvidenceHash: v.kycEvidenceHash, reason: v.reason };
          renew.mutate({ params: { identityId: id }, body, headers: { "idempotency-key": await contentKey("renew", id, body) } }, { onSettled: close });
        }}
      >
        <Form.Item label={t("identity.newExpiry")} name="expiresAt" rules={[{ required: true, message: t("form.required") }]}>
          <DateTimeInput style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item label={t("identity.dossierHash")} name="kycEvidenceHash" rules={[{ required: true, message: t("form.required") }, zodRule(Bytes32, t("form.bytes32"))]}>
          <Input className="mono" />
        </Form.Item>
      </ReasonModal>
      <ReasonModal<{ reason: string; wallet: string }>
        open={action?.kind === "link"}
        title={t("identity.linkWallet")}
        onCancel={close}
        busy={link.isPending}
        onSubmit={async (v) => {
          const body = { wallet: v.wallet.trim(), reason: v.reason };
          link.mutate({ params: { identityId: id }, body, headers: { "idempotency-key": await contentKey("link", id, body) } }, { onSettled: close });
        }}
      >
        <Form.Item label={t("identity.wallet")} name="wallet" rules={[{ required: true, message: t("form.required") }, zodRule(Address, t("form.address"))]}>
          <Input className="mono" placeholder="0x…" />
        </Form.Item>
      </ReasonModal>
      <ReasonModal<{ reason: string }>
        open={action?.kind === "unlink"}
        title={t("identity.unlinkTitle", { wallet: action?.kind === "unlink" ? action.wallet : "" })}
        onCancel={close}
        busy={unlink.isPending}
        onSubmit={async (v) => {
          if (action?.kind !== "unlink") return;
          const body = { wallet: action.wallet, reason: v.reason };
          unlink.mutate({ body, headers: { "idempotency-key": await contentKey("unlink", body) } }, { onSettled: close });
        }}
      />
    </Panel>
  );
}

function History({ identityId }: { identityId: string }) {
  const { t, tx, lang } = useI18n();
  const history = useIdentityHistory(identityId);
  return (
    <Panel title={t("identity.history")} style={{ marginBottom: 16 }}>
      <ErrorAlert error={history.error} />
      <Table
        rowKey={(e) => `${e.blockNumber}-${e.logIndex}`}
        size="small"
        loading={history.isLoading}
        dataSource={history.data?.events ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { title: t("identity.event"), dataIndex: "type", render: (v: string) => tx(`identityEvents.${v}`, v) },
          { title: t("common.time"), dataIndex: "time", render: (v: string) => formatTime(v, lang) },
          { title: t("identity.level"), dataIndex: "level", render: (l: number) => `${l} · ${levelLabel(l, lang)}` },
          { title: t("common.status"), dataIndex: "status", render: (s: string) => statusLabel(s, lang) },
          { title: t("identity.expiresAt"), dataIndex: "expiresAt", render: (v: string) => formatTime(v, lang) },
          { title: t("identity.wallet"), dataIndex: "wallet", render: (w: string | null) => <Hash value={w} /> },
          { title: t("common.block"), dataIndex: "blockNumber" },
          { title: t("common.transaction"), dataIndex: "txHash", render: (h: string) => <Hash value={h} /> },
        ]}
      />
    </Panel>
  );
}

function IdentityDetails({ identity, did }: { identity: IdentityView; did: string }) {
  const { t, lang } = useI18n();
  const me = useWhoAmI();
  const doc = useDid(did);
  return (
    <>
      <Panel title={t("identity.identity")} style={{ marginBottom: 16 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, lg: 2 }}
          items={[
            { key: "did", label: t("identity.did"), children: <Typography.Text className="mono" copyable data-testid="identity-did">{did}</Typography.Text> },
            { key: "id", label: t("identity.idLabel"), children: <Hash value={identity.identityId} /> },
            { key: "level", label: t("identity.level"), children: `${identity.level} · ${levelLabel(identity.level, lang)}` },
            {
              key: "status",
              label: t("common.status"),
              children: (
                <>
                  <StatusTag tone={identity.status === "Active" ? "success" : "error"}>{statusLabel(identity.status, lang)}</StatusTag>
                  <StatusTag tone={identity.verified ? "success" : "warning"}>{identity.verified ? t("identity.verified") : t("identity.notVerified")}</StatusTag>
                </>
              ),
            },
            {
              key: "exp",
              label: t("identity.expiresAt"),
              children: (
                <>
                  {formatTime(identity.expiresAt, lang)} {identity.expired && <StatusTag tone="error">{t("identity.expired")}</StatusTag>}
                </>
              ),
            },
            { key: "jur", label: t("identity.jurisdiction"), children: identity.jurisdiction },
            { key: "attestor", label: t("identity.attestor"), children: <Hash value={identity.attestor} /> },
            { key: "evidence", label: t("identity.dossierHash"), children: <Hash value={identity.evidenceHash} /> },
            {
              key: "wallets",
              label: t("identity.wallets"),
              span: 2,
              children: (
                <Space orientation="vertical" size={0}>
                  {identity.wallets.map((w) => (
                    <Link key={w} to={`/explorer/accounts/${w}`} className="mono">
                      {w}
                    </Link>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Panel>
      {me.data?.role === "attestor" && <Actions identity={identity} />}
      <Row gutter={16}>
        <Col xs={24} xl={10}>
          <Panel title={t("identity.didDocument")} style={{ marginBottom: 16 }}>
            <ErrorAlert error={doc.error} />
            {doc.data && (
              <pre className="mono" style={{ maxHeight: 360, overflow: "auto", margin: 0, whiteSpace: "pre-wrap" }} tabIndex={0} aria-label={t("identity.didDocument")}>
                {JSON.stringify(doc.data.didDocument, null, 2)}
              </pre>
            )}
          </Panel>
        </Col>
        <Col xs={24} xl={14}>
          <History identityId={identity.identityId} />
        </Col>
      </Row>
    </>
  );
}

/** From any of the three inputs to the wallet whose identity is shown and its DID. */
function Lookup({ q }: { q: string }) {
  const { t } = useI18n();
  const kind = lookupKind(q);
  const byId = useIdentityById(kind === "identityId" ? q : undefined);
  const summary = byId.data?.items[0];
  const resolved = useDid(kind === "did" ? q : undefined);
  const wallet =
    kind === "address"
      ? q
      : kind === "identityId"
        ? summary?.wallets[0]
        : resolved.data?.didDocument.verificationMethod[0]?.blockchainAccountId.split(":").pop();
  const identity = useIdentityOfWallet(wallet);

  if (kind === "invalid") return <Typography.Paragraph type="danger">{t("identity.lookupInvalid")}</Typography.Paragraph>;
  const error = identity.error ?? resolved.error ?? byId.error;
  if (error) return <ErrorAlert error={error} />;
  if (kind === "identityId" && byId.data && !summary?.wallets.length) return <Typography.Paragraph>{t("identity.notFound")}</Typography.Paragraph>;
  if (!identity.data) return <Panel loading />;
  return <IdentityDetails identity={identity.data} did={identity.data.did} />;
}

export default function IdentityPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  return (
    <Page title={t("identity.lookupTitle")} subtitle={t("identity.lookupHint")}>
      <Form layout="inline" name="lookup" onFinish={(v: { q: string }) => setParams({ q: v.q.trim() })} initialValues={{ q }} style={{ marginBottom: 16 }} key={q}>
        <Form.Item name="q" label={t("identity.lookupLabel")} rules={[{ required: true, message: t("form.required") }]} style={{ minWidth: 520 }}>
          <Input className="mono" placeholder={t("identity.lookupPlaceholder")} allowClear />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t("common.search")}
        </Button>
      </Form>
      {q && <Lookup q={q} />}
    </Page>
  );
}
