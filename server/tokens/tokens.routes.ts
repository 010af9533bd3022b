import { defineRoute } from "../http/route";
import { verifyFile } from "../verify/verify-file";
import { getProvenance } from "./get-provenance";
import { getToken } from "./get-token";
import { TokenIdParam } from "./token-id";

const READERS = ["issuer", "auditor", "regulator", "admin", "attestor"] as const;

export const tokenRoutes = [
  defineRoute({
    method: "get",
    path: "/v1/tokens/:id",
    tag: "tokens",
    summary: "Owner, collection, edition, locked, frozen and licences of a token",
    roles: READERS,
    params: TokenIdParam,
    handler: ({ services, params }) => getToken(services, params.id),
  }),
  defineRoute({
    method: "get",
    path: "/v1/tokens/:id/provenance",
    tag: "tokens",
    summary: "Chain of custody from chain events, with DIDs and levels at each block, and an integrity verdict",
    roles: READERS,
    params: TokenIdParam,
    handler: ({ services, params }) => getProvenance(services, params.id),
  }),
  defineRoute({
    method: "post",
    path: "/v1/verify",
    tag: "tokens",
    summary: "Is this file registered? In which collection, by which issuer, and when",
    roles: ["auditor", "regulator", "admin"],
    multipart: { files: [{ name: "file", required: true, description: "the file to look up by its sha256" }] },
    handler: ({ services, files }) => verifyFile(services, files.file!.bytes),
  }),
];
