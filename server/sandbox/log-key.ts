import { signCheckpoint } from "../../shared/log/checkpoint";
import { ed25519VerifierKey, generateNoteKey, parseSignerKey, type NoteSigner } from "../../shared/log/note";
import { sandboxLogId, sandboxLogOrigin } from "../../shared/log/origin";
import type { Store } from "../store/store";

/** The sandbox log's identity and checkpoint key (Ed25519, C2SP signed-note format). */
export interface LogIdentity {
  /** The checkpoints' origin line, and the key's name: dareg-sandbox-log/<chainId>/<EvidenceRegistry>. */
  origin: string;
  /** bytes32 id of the log in the EvidenceRegistry's checkpoint record: keccak256(origin). */
  logId: string;
  /** The public key, as published at GET /v1/sandbox/log-key. */
  verifierKey: string;
  sign(size: number, root: Uint8Array): string;
}

/**
 * The log's key: LOG_SIGNING_KEY when configured (keep it off the database in production, and give
 * every gateway the same one), else a key generated on first start and kept in the store.
 */
export async function openLogIdentity(store: Pick<Store, "kv">, chainId: number, evidenceRegistry: string, configured?: string): Promise<LogIdentity> {
  const origin = sandboxLogOrigin(chainId, evidenceRegistry);
  let signerKey = configured;
  if (!signerKey) {
    signerKey = await store.kv.get(`log.signingKey:${origin}`);
    if (!signerKey) {
      signerKey = generateNoteKey(origin).signerKey;
      await store.kv.set(`log.signingKey:${origin}`, signerKey);
      signerKey = (await store.kv.get(`log.signingKey:${origin}`)) ?? signerKey;
    }
  }
  const signer: NoteSigner = parseSignerKey(signerKey);
  if (signer.name !== origin) throw new Error(`LOG_SIGNING_KEY is for ${signer.name}, not this log (${origin})`);
  const verifierKey = ed25519VerifierKey(origin, signer.publicKey);
  return {
    origin,
    logId: sandboxLogId(origin),
    verifierKey,
    sign: (size, root) => signCheckpoint({ origin, size, root }, signer),
  };
}
