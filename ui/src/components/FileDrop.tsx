import InboxOutlined from "@ant-design/icons/es/icons/InboxOutlined";
import Typography from "antd/es/typography";
import Upload from "antd/es/upload";
import { useEffect, useMemo } from "react";
import { useI18n } from "../lib/i18n";

/** One file by drag and drop or by picking, with a preview of images, video and audio (blob: URLs). */
export function FileDrop({
  id,
  file,
  onChange,
  hint,
  accept,
  preview,
}: {
  id: string;
  file: File | null;
  onChange(f: File | null): void;
  hint: string;
  accept?: string;
  preview?: boolean;
}) {
  const { t } = useI18n();
  const url = useMemo(() => (file && preview ? URL.createObjectURL(file) : null), [file, preview]);
  useEffect(() => () => {
    if (url) URL.revokeObjectURL(url);
  }, [url]);
  return (
    <div id={id} data-testid={id}>
      <Upload.Dragger
        accept={accept}
        maxCount={1}
        multiple={false}
        fileList={file ? [{ uid: "1", name: file.name, size: file.size, type: file.type, status: "done" }] : []}
        beforeUpload={(f) => {
          onChange(f);
          return false;
        }}
        onRemove={() => onChange(null)}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined aria-hidden />
        </p>
        <p className="ant-upload-text">{t("upload.drop")}</p>
        <p className="ant-upload-hint">{hint}</p>
      </Upload.Dragger>
      {url && file && (
        <div style={{ marginTop: 12 }}>
          {file.type.startsWith("image/") ? (
            <img src={url} alt={t("upload.previewOf", { name: file.name })} style={{ maxWidth: "100%", maxHeight: 240, borderRadius: 8, border: "1px solid #f0f0f0" }} />
          ) : file.type.startsWith("video/") ? (
            <video src={url} controls style={{ maxWidth: "100%", maxHeight: 240 }} aria-label={t("upload.previewOf", { name: file.name })} />
          ) : file.type.startsWith("audio/") ? (
            <audio src={url} controls aria-label={t("upload.previewOf", { name: file.name })} />
          ) : (
            <Typography.Text type="secondary">{t("upload.noPreview")}</Typography.Text>
          )}
        </div>
      )}
    </div>
  );
}
