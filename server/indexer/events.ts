import { Interface, ZeroAddress, type Log, type LogDescription } from "ethers";
import { CollectibleRights__factory, EvidenceRegistry__factory, IdentityRegistry__factory } from "../../typechain-types";
import type { EventType } from "../../shared/api";
import type { ContractName } from "../chain/chain";

/** Every event of the three contracts, for decoding logs. */
export const INDEXED_EVENTS = new Interface(
  [...IdentityRegistry__factory.abi, ...CollectibleRights__factory.abi, ...EvidenceRegistry__factory.abi]
    .filter((f) => f.type === "event")
    .filter((f, i, all) => all.findIndex((g) => g.name === f.name) === i),
);

/** The events the index keeps, by contract event name. Others (approvals, ERC-4906 hints) are skipped. */
export const EVENT_TYPES: Readonly<Record<string, EventType>> = {
  CollectionCreated: "collection-created",
  EditionsMinted: "editions-minted",
  CollectionMetadataUpdated: "metadata-updated",
  Transfer: "transfer",
  ForcedTransfer: "forced-transfer",
  TokenTakenDown: "taken-down",
  TokenFrozen: "token-frozen",
  TokenUnfrozen: "token-unfrozen",
  WalletFrozen: "wallet-frozen",
  WalletUnfrozen: "wallet-unfrozen",
  RegistryPaused: "paused",
  RegistryUnpaused: "unpaused",
  LicenceGranted: "licence-granted",
  LicenceRevoked: "licence-revoked",
  PolicyFloorsSet: "policy-floors-set",
  IdentityRegistered: "identity-registered",
  IdentityUpdated: "identity-updated",
  IdentityRenewed: "identity-renewed",
  IdentityStatusChanged: "identity-status-changed",
  WalletLinked: "wallet-linked",
  WalletUnlinked: "wallet-unlinked",
  EvidenceRecorded: "evidence-recorded",
  CheckpointAnchored: "checkpoint-anchored",
  RoleGranted: "role-granted",
  RoleRevoked: "role-revoked",
};

/** One event as the index stores it. */
export interface IxEvent {
  txHash: string;
  logIndex: number;
  blockNumber: number;
  blockHash: string;
  /** Unix seconds of the block. */
  time: number;
  contract: ContractName;
  name: string;
  type: EventType;
  collectionId: string | null;
  tokenId: string | null;
  identityId: string | null;
  from: string | null;
  to: string | null;
  actor: string | null;
  /** Every argument by name (bigints as decimal strings, addresses checksummed), plus enrichments (`collection`). */
  args: Record<string, unknown>;
}

const plain = (v: unknown): unknown => (typeof v === "bigint" ? v.toString() : Array.isArray(v) ? v.map(plain) : v);
const addr = (v: unknown): string | null => (typeof v === "string" && v !== ZeroAddress ? v : null);

/** Decodes a log into an index event, or undefined when it is not one the index keeps. */
export function toIxEvent(log: Log, contract: ContractName, time: number): IxEvent | undefined {
  let parsed: LogDescription | null;
  try {
    parsed = INDEXED_EVENTS.parseLog(log);
  } catch {
    return undefined;
  }
  if (!parsed) return undefined;
  const type = EVENT_TYPES[parsed.name];
  if (!type) return undefined;
  const args: Record<string, unknown> = {};
  parsed.fragment.inputs.forEach((input, i) => (args[input.name] = plain(parsed!.args[i])));
  const a = args as Record<string, string | undefined>;
  const tokenId = a.tokenId ?? null;
  const collectionId = a.collectionId ?? (tokenId ? (BigInt(tokenId) >> 64n).toString() : null);
  const base = { txHash: log.transactionHash, logIndex: log.index, blockNumber: log.blockNumber, blockHash: log.blockHash, time, contract, name: parsed.name, type, args };
  let from: string | null = null;
  let to: string | null = null;
  let actor: string | null = null;
  switch (parsed.name) {
    case "CollectionCreated":
    case "EditionsMinted":
      from = addr(a.issuer);
      actor = addr(a.operator);
      break;
    case "CollectionMetadataUpdated":
      from = addr(a.issuer);
      break;
    case "Transfer":
    case "ForcedTransfer":
      from = addr(a.from);
      to = addr(a.to);
      actor = addr(a.regulator);
      break;
    case "TokenTakenDown":
      from = addr(a.holder);
      actor = addr(a.regulator);
      break;
    case "LicenceGranted":
    case "LicenceRevoked":
      from = addr(a.holder);
      to = addr(a.licensee);
      break;
    case "WalletFrozen":
    case "WalletUnfrozen":
      from = addr(a.wallet);
      actor = addr(a.regulator);
      break;
    case "IdentityRegistered":
      to = addr(a.wallet);
      actor = addr(a.attestor);
      break;
    case "WalletLinked":
    case "WalletUnlinked":
      to = addr(a.wallet);
      actor = addr(a.actor);
      break;
    case "EvidenceRecorded":
      actor = addr(a.writer);
      break;
    case "CheckpointAnchored":
      actor = addr(a.anchorer);
      break;
    case "RoleGranted":
    case "RoleRevoked":
      to = addr(a.account);
      actor = addr(a.sender);
      break;
    default:
      actor = addr(a.regulator ?? a.actor);
  }
  return { ...base, collectionId: tokenId || a.collectionId ? collectionId : null, tokenId, identityId: a.identityId ?? null, from, to, actor };
}
