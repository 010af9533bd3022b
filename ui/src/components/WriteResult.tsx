/**
 * The outcome of a write: its transaction (hash and block), or, when the gateway holds no key for the
 * role, the unsigned transactions to sign elsewhere.
 */
import Alert from "antd/es/alert";
import Descriptions from "antd/es/descriptions";
import Typography from "antd/es/typography";
import type { ReactNode } from "react";
import type { UnsignedReply } from "../../../shared/api/common";
import { useI18n } from "../lib/i18n";
import { Hash } from "./Hash";

export const isUnsigned = (v: unknown): v is UnsignedReply => typeof v === "object" && v !== null && (v as UnsignedReply).unsigned === true;

export function UnsignedTransactions({ reply }: { reply: UnsignedReply }) {
  const { t } = useI18n();
  return (
    <Alert
      type="info"
      showIcon
      title={t("write.unsigned")}
      description={
        <>
          <Typography.Paragraph>{reply.note}</Typography.Paragraph>
          <ol style={{ margin: 0, paddingInlineStart: 20 }}>
            {reply.transactions.map((tx, i) => (
              <li key={i}>
                <Typography.Text>
                  {tx.call} → <Hash value={tx.to} /> ({t("network.chainId")} {tx.chainId})
                </Typography.Text>{" "}
                <Typography.Text className="mono" copyable={{ text: tx.data }}>
                  {tx.data.slice(0, 42)}…
                </Typography.Text>
              </li>
            ))}
          </ol>
        </>
      }
    />
  );
}

/** A confirmed transaction, with extra rows before it. */
export function TxResult({ title, txHash, blockNumber, rows = [] }: { title: ReactNode; txHash: string; blockNumber?: number; rows?: Array<[ReactNode, ReactNode]> }) {
  const { t } = useI18n();
  return (
    <Alert
      type="success"
      showIcon
      role="status"
      title={title}
      data-testid="tx-result"
      description={
        <Descriptions
          size="small"
          column={1}
          items={[
            ...rows.map(([label, children], i) => ({ key: `r${i}`, label, children })),
            { key: "tx", label: t("common.transaction"), children: <Hash value={txHash} full testId="tx-hash" /> },
            ...(blockNumber !== undefined ? [{ key: "block", label: t("common.block"), children: blockNumber }] : []),
          ]}
        />
      }
    />
  );
}
