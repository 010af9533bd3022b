/**
 * 监管操作: freeze and unfreeze (wallet or token), pause and unpause, forced transfer and takedown. Each
 * asks for a reason and evidence (a text, or a file whose sha256 is computed here), confirms, and shows
 * the resulting transaction.
 */
import Button from "antd/es/button";
import Col from "antd/es/col";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Modal from "antd/es/modal";
import Radio from "antd/es/radio";
import Row from "antd/es/row";
import Select from "antd/es/select";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { Address, Reason, Uint } from "../../../../../shared/api/common";
import { REGULATOR_ACTIONS } from "../../../../../shared/api/regulator";
import { TokenIdParam } from "../../../../../shared/api/tokens";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { FileDrop } from "../../../components/FileDrop";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { TxResult, UnsignedTransactions, isUnsigned } from "../../../components/WriteResult";
import { randomKey, sha256Hex } from "../../../lib/files";
import { zodRule } from "../../../lib/form";
import { useI18n, type TextKey } from "../../../lib/i18n";
import { settle } from "../../../lib/query";
import { useApi } from "../../../lib/session";
import { Panel } from "../../../components/Panel";

type Action = (typeof REGULATOR_ACTIONS)[number];
type Target = "wallet" | "token" | "tokens" | "none" | "force";
const TARGET: Record<Action, Target> = {
  freezeWallet: "wallet",
  unfreezeWallet: "wallet",
  freezeToken: "token",
  unfreezeToken: "token",
  pause: "none",
  unpause: "none",
  forcedTransfer: "force",
  takedown: "tokens",
};

interface Values {
  action: Action;
  target?: string;
  from?: string;
  to?: string;
  reason: string;
  evidenceKind: "text" | "file";
  evidenceText?: string;
}

export default function ActionsPage() {
  const { t } = useI18n();
  const [modal, modalHolder] = Modal.useModal();
  const api = useApi();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const preset = params.get("action") as Action | null;
  const [form] = Form.useForm<Values>();
  const action = (Form.useWatch("action", form) ?? preset ?? "freezeToken") as Action;
  const evidenceKind = Form.useWatch("evidenceKind", form) ?? "text";
  const [file, setFile] = useState<File | null>(null);
  const [key, setKey] = useState<{ sig: string; key: string } | null>(null);

  const act = useMutation({
    mutationFn: async ({ name, input }: { name: Action; input: Record<string, unknown> }) => settle(api, await api.call(name, input as never)),
    onSuccess: () =>
      Promise.all(["getToken", "getProvenance", "getAccount", "readLog", "listEvents", "listCollectionTokens"].map((n) => queryClient.invalidateQueries({ queryKey: [n] }))),
  });

  const submit = async (v: Values) => {
    const evidence = v.evidenceKind === "file" && file ? { hash: await sha256Hex(file) } : { text: v.evidenceText ?? "" };
    const target = TARGET[v.action];
    const body: Record<string, unknown> = { reason: v.reason, evidence };
    let params: Record<string, string> | undefined;
    if (target === "wallet") params = { address: v.target!.trim() };
    if (target === "token") params = { id: v.target!.trim() };
    if (target === "force") {
      params = { id: v.target!.trim() };
      body.from = v.from!.trim();
      body.to = v.to!.trim();
    }
    if (target === "tokens") body.tokenIds = v.target!.split(/[\s,]+/).filter(Boolean);
    // The same confirmed request keeps its Idempotency-Key: a retry after a lost reply does nothing twice.
    const sig = JSON.stringify([v.action, params, body]);
    const idem = key?.sig === sig ? key.key : randomKey(v.action);
    setKey({ sig, key: idem });
    modal.confirm({
      title: t("actions.confirmTitle", { action: t(`actions.${v.action}` as TextKey) }),
      content: (
        <div>
          {params && <p className="mono">{Object.values(params).join(" ")}</p>}
          {body.tokenIds ? <p className="mono">{(body.tokenIds as string[]).join(", ")}</p> : null}
          <p>
            {t("common.reason")}: {v.reason}
          </p>
        </div>
      ),
      okText: t("common.confirm"),
      cancelText: t("common.cancel"),
      okButtonProps: { danger: true },
      onOk: () => act.mutate({ name: v.action, input: { params, body, headers: { "idempotency-key": idem } } }),
    });
  };

  const target = TARGET[action];
  const r = act.data;
  return (
    <Page title={t("actions.title")} subtitle={t("actions.hint")}>
      {modalHolder}
      <Row gutter={24}>
        <Col xs={24} lg={13}>
          <Panel>
            <Form<Values>
              form={form}
              layout="vertical"
              name="regulator-action"
              onFinish={submit}
              initialValues={{ action: preset && REGULATOR_ACTIONS.includes(preset) ? preset : "freezeToken", target: params.get("target") ?? undefined, evidenceKind: "text" }}
            >
              <Form.Item label={t("actions.action")} name="action" rules={[{ required: true, message: t("form.required") }]}>
                <Select options={REGULATOR_ACTIONS.map((a) => ({ value: a, label: t(`actions.${a}` as TextKey) }))} />
              </Form.Item>
              {target === "wallet" && (
                <Form.Item label={t("identity.wallet")} name="target" rules={[{ required: true, message: t("form.required") }, zodRule(Address, t("form.address"))]}>
                  <Input className="mono" placeholder="0x…" />
                </Form.Item>
              )}
              {(target === "token" || target === "force") && (
                <Form.Item label={t("common.token")} name="target" rules={[{ required: true, message: t("form.required") }, zodRule(TokenIdParam.shape.id, t("form.tokenId"))]}>
                  <Input className="mono" />
                </Form.Item>
              )}
              {target === "tokens" && (
                <Form.Item
                  label={t("actions.tokenIds")}
                  name="target"
                  extra={t("actions.tokenIdsHint")}
                  rules={[
                    { required: true, message: t("form.required") },
                    { validator: async (_, v: string) => { if (v && !v.split(/[\s,]+/).filter(Boolean).every((x) => Uint.safeParse(x).success)) throw new Error(t("form.tokenId")); } },
                  ]}
                >
                  <Input.TextArea rows={2} className="mono" />
                </Form.Item>
              )}
              {target === "force" && (
                <>
                  <Form.Item label={t("actions.from")} name="from" rules={[{ required: true, message: t("form.required") }, zodRule(Address, t("form.address"))]}>
                    <Input className="mono" placeholder="0x…" />
                  </Form.Item>
                  <Form.Item label={t("actions.to")} name="to" rules={[{ required: true, message: t("form.required") }, zodRule(Address, t("form.address"))]}>
                    <Input className="mono" placeholder="0x…" />
                  </Form.Item>
                </>
              )}
              <Form.Item label={t("common.reason")} name="reason" rules={[{ required: true, message: t("form.required") }, zodRule(Reason, t("form.invalid"))]}>
                <Input.TextArea rows={3} maxLength={500} />
              </Form.Item>
              <Form.Item label={t("actions.evidence")} name="evidenceKind">
                <Radio.Group
                  options={[
                    { value: "text", label: t("actions.evidenceText") },
                    { value: "file", label: t("actions.evidenceFile") },
                  ]}
                />
              </Form.Item>
              {evidenceKind === "text" ? (
                <Form.Item label={t("actions.evidenceTextLabel")} name="evidenceText" rules={[{ required: true, message: t("form.required") }]}>
                  <Input.TextArea rows={3} />
                </Form.Item>
              ) : (
                <div style={{ marginBottom: 24 }}>
                  <FileDrop id="action-evidence" file={file} onChange={setFile} hint={t("actions.evidenceFileHint")} />
                </div>
              )}
              <Button type="primary" danger htmlType="submit" loading={act.isPending} disabled={evidenceKind === "file" && !file}>
                {t("actions.submit")}
              </Button>
            </Form>
          </Panel>
        </Col>
        <Col xs={24} lg={11}>
          <ErrorAlert error={act.error} />
          {r && isUnsigned(r) && <UnsignedTransactions reply={r} />}
          {r && !isUnsigned(r) && (
            <TxResult
              title={t("actions.done", { action: t(`actions.${r.action}` as TextKey) })}
              txHash={r.txHash}
              blockNumber={r.blockNumber}
              rows={[
                [t("actions.reasonCode"), <Hash value={r.reasonCode} />],
                [t("actions.evidenceHash"), <Hash value={r.evidenceHash} />],
              ]}
            />
          )}
        </Col>
      </Row>
    </Page>
  );
}
