/**
 * 文件核验: drop a file; its sha256 is computed in the browser (WebCrypto) and looked up — POST /v1/verify
 * for the roles that may, otherwise a search by content hash — and the registration is shown.
 */
import Alert from "antd/es/alert";
import Descriptions from "antd/es/descriptions";
import Typography from "antd/es/typography";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import type { z } from "zod";
import type { FileAnswer } from "../../../../../shared/api/tokens";
import { ErrorAlert } from "../../../components/ErrorAlert";
import { FileDrop } from "../../../components/FileDrop";
import { Hash } from "../../../components/Hash";
import { Page } from "../../../components/Page";
import { sha256Hex } from "../../../lib/files";
import { formatTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { useApi } from "../../../lib/session";
import { mayCall } from "../../../app/nav";
import { useWhoAmI } from "../../auth/api/use-who-am-i";
import { Panel } from "../../../components/Panel";

type Answer = z.infer<typeof FileAnswer>;

export default function VerifyFilePage() {
  const { t, lang } = useI18n();
  const api = useApi();
  const me = useWhoAmI();
  const [file, setFile] = useState<File | null>(null);
  const [hash, setHash] = useState<string | null>(null);
  const lookup = useMutation({
    mutationFn: async (f: File): Promise<Answer> => {
      const local = await sha256Hex(f);
      setHash(local);
      if (mayCall("verifyFile", me.data?.role)) return api.call("verifyFile", { files: { file: { bytes: f, filename: f.name, type: f.type } } });
      const hits = await api.call("search", { query: { q: local } });
      const hit = hits.hits.find((h) => h.type === "content-hash" || h.type === "collection");
      return { registered: !!hit, contentHash: local, collectionId: hit?.path.match(/collections\/(\d+)/)?.[1] };
    },
  });
  const a = lookup.data;

  return (
    <Page title={t("verify.title")} subtitle={t("verify.hint")}>
      <Panel style={{ marginBottom: 16 }}>
        <FileDrop
          id="verify-upload"
          file={file}
          onChange={(f) => {
            setFile(f);
            setHash(null);
            lookup.reset();
            if (f) lookup.mutate(f);
          }}
          hint={t("verify.dropHint")}
          preview
        />
        {hash && (
          <Typography.Paragraph style={{ marginTop: 12 }}>
            {t("verify.localHash")}: <Hash value={hash} full testId="local-hash" />
          </Typography.Paragraph>
        )}
      </Panel>
      <ErrorAlert error={lookup.error} />
      {a && (
        <Alert
          type={a.registered ? "success" : "warning"}
          showIcon
          data-testid="verify-result"
          data-registered={a.registered}
          title={a.registered ? t("verify.registered", { id: a.collectionId ?? "?" }) : t("verify.notRegistered")}
          description={
            <>
              {hash && a.contentHash.toLowerCase() !== hash.toLowerCase() && <Typography.Paragraph type="danger">{t("verify.hashMismatch")}</Typography.Paragraph>}
              {a.registered && (
                <Descriptions
                  size="small"
                  column={1}
                  items={[
                    { key: "collection", label: t("common.collection"), children: a.collectionId && <Link to={`/explorer/collections/${a.collectionId}`}>#{a.collectionId}</Link> },
                    ...(a.issuer ? [{ key: "issuer", label: t("collection.issuer"), children: <span className="mono">{a.issuerDid ?? a.issuer}</span> }] : []),
                    ...(a.registeredAt ? [{ key: "at", label: t("verify.registeredAt"), children: formatTime(a.registeredAt, lang) }] : []),
                    { key: "hash", label: t("explorer.contentHash"), children: <Hash value={a.contentHash} full /> },
                    ...(a.txHash ? [{ key: "tx", label: t("common.transaction"), children: <Hash value={a.txHash} /> }] : []),
                    ...(a.complianceRef ? [{ key: "ref", label: t("issuer.complianceRef"), children: <Hash value={a.complianceRef} /> }] : []),
                  ]}
                />
              )}
            </>
          }
        />
      )}
    </Page>
  );
}
