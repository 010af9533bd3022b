import { API } from "../../shared/api";
import { implement } from "../http/route";
import { findEvidence, recordEvidence } from "./record-evidence";

export const evidenceRoutes = [
  implement(API.recordEvidence, ({ services, body, files, auth, headers }) =>
    recordEvidence(services, { ...body, bytes: files.file!.bytes, actor: auth!.id, role: auth!.role, idempotencyKey: headers["idempotency-key"] }),
  ),
  implement(API.findEvidence, ({ services, params }) => findEvidence(services, params.hash)),
];
