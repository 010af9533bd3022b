import Form from "antd/es/form";
import Input from "antd/es/input";
import Modal from "antd/es/modal";
import type { ReactNode } from "react";
import { Reason } from "../../../shared/api/common";
import { zodRule } from "../lib/form";
import { useI18n } from "../lib/i18n";

/** Asks for the fields of an action plus its reason, then confirms. */
export function ReasonModal<V extends { reason: string }>({
  open,
  title,
  onCancel,
  onSubmit,
  busy,
  children,
  initialValues,
  okText,
}: {
  open: boolean;
  title: string;
  onCancel(): void;
  onSubmit(values: V): void;
  busy?: boolean;
  children?: ReactNode;
  initialValues?: Partial<V>;
  okText?: string;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<V>();
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      okText={okText ?? t("common.confirm")}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<V> form={form} layout="vertical" onFinish={onSubmit} initialValues={initialValues} preserve={false} name="reason-modal">
        {children}
        <Form.Item label={t("common.reason")} name="reason" rules={[{ required: true, message: t("form.required") }, zodRule(Reason, t("form.invalid"))]}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
