/**
 * Errors a person can read: an API error in the current language from the shared catalogue, with its
 * code small beside it for support. Never raw JSON, never a stack trace.
 */
import Alert from "antd/es/alert";
import Typography from "antd/es/typography";
import type { ReactNode } from "react";
import { ApiError } from "../../../shared/api/client";
import { useI18n } from "../lib/i18n";
import type { Lang } from "../../../shared/domain";

export interface ReadableError {
  message: string;
  code: string | null;
  status: number | null;
}

/** Any thrown value as a message in `lang` (API errors by their catalogued code). */
export function readableError(error: unknown, lang: Lang, fallback: { network: string; unexpected: string }): ReadableError {
  if (error instanceof ApiError) return { message: error.text(lang), code: error.code, status: error.status };
  if (error instanceof TypeError) return { message: fallback.network, code: null, status: null };
  return { message: fallback.unexpected, code: null, status: null };
}

export function useReadableError() {
  const { lang, t } = useI18n();
  return (error: unknown) => readableError(error, lang, { network: t("errors.network"), unexpected: t("errors.unexpected") });
}

function Code({ code }: { code: string | null }) {
  const { t } = useI18n();
  if (!code) return null;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="error-code">
      {t("errors.code")}: <Typography.Text code>{code}</Typography.Text>
    </Typography.Text>
  );
}

export function ErrorAlert({ error, title, action }: { error: unknown; title?: ReactNode; action?: ReactNode }) {
  const read = useReadableError();
  if (!error) return null;
  const e = read(error);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={title ?? e.message}
      description={
        title ? (
          <>
            <div>{e.message}</div>
            <Code code={e.code} />
          </>
        ) : (
          <Code code={e.code} />
        )
      }
      action={action}
      style={{ marginBottom: 16 }}
    />
  );
}

/** A whole page that cannot be shown (not found, forbidden, unavailable): its message, large. */
export function ErrorResult({ error, extra }: { error: unknown; extra?: ReactNode }) {
  const read = useReadableError();
  const e = read(error);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ margin: "48px auto", maxWidth: 720, padding: 24 }}
      title={<span style={{ fontSize: 18 }}>{e.message}</span>}
      description={
        <>
          <Code code={e.code} />
          {extra && <div style={{ marginTop: 16 }}>{extra}</div>}
        </>
      }
    />
  );
}
