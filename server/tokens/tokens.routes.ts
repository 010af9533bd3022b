import { API } from "../../shared/api";
import { implement } from "../http/route";
import { verifyFile } from "../verify/verify-file";
import { getProvenance } from "./get-provenance";
import { getToken } from "./get-token";
import { transferCheck } from "./transfer-check";

export const tokenRoutes = [
  implement(API.getToken, ({ services, params }) => getToken(services, params.id)),
  implement(API.getProvenance, ({ services, params, query }) => getProvenance(services, params.id, query.source ?? "index")),
  implement(API.transferCheck, ({ services, params, body }) => transferCheck(services, params.id, body)),
  implement(API.verifyFile, ({ services, files }) => verifyFile(services, files.file!.bytes)),
];
