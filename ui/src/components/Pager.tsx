import Button from "antd/es/button";
import Space from "antd/es/space";
import Typography from "antd/es/typography";
import { useCallback, useState } from "react";
import { useI18n } from "../lib/i18n";

/** Cursor paging: the cursors of the pages seen so far, so "previous" needs no offset. */
export function useCursor<C = string>() {
  const [stack, setStack] = useState<Array<C | undefined>>([undefined]);
  return {
    cursor: stack[stack.length - 1],
    page: stack.length,
    next: useCallback((c: C) => setStack((s) => [...s, c]), []),
    prev: useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []),
    reset: useCallback(() => setStack([undefined]), []),
  };
}

export function Pager<C>({ pager, nextCursor, loading }: { pager: ReturnType<typeof useCursor<C>>; nextCursor: C | null | undefined; loading?: boolean }) {
  const { t } = useI18n();
  return (
    <Space style={{ marginTop: 12, justifyContent: "flex-end", width: "100%" }}>
      <Button disabled={pager.page <= 1 || loading} onClick={pager.prev}>
        {t("common.previous")}
      </Button>
      <Typography.Text>{t("common.page", { page: pager.page })}</Typography.Text>
      <Button disabled={nextCursor === null || nextCursor === undefined || loading} onClick={() => nextCursor != null && pager.next(nextCursor)}>
        {t("common.next")}
      </Button>
    </Space>
  );
}
