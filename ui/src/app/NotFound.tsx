import Button from "antd/es/button";
import Result from "antd/es/result";
import { Link } from "react-router";
import { useI18n } from "../lib/i18n";

export default function NotFound() {
  const { t } = useI18n();
  return (
    <>
      <h1 className="visually-hidden">{t("app.notFound")}</h1>
      <Result
        status="404"
        title={t("app.notFound")}
        extra={
          <Link to="/">
            <Button type="primary">{t("app.home")}</Button>
          </Link>
        }
      />
    </>
  );
}
