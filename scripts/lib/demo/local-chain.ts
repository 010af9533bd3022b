/**
 * The demo's few direct chain actions, which the gateway has no endpoint for because they are not the
 * platform's: collectors are wallets whose keys the demo holds, so a gift is the collector's own
 * transaction; and local-chain time travel, because the policy's 180-day holding period must pass before
 * a gift.
 */
import { JsonRpcProvider, parseEther, type HDNodeWallet } from "ethers";
import { CollectibleRights__factory } from "../../../typechain-types";
import { devWallet, FUNDER_INDEX } from "./content";

export interface LocalChain {
  provider: JsonRpcProvider;
  /** The latest block's timestamp, in seconds. */
  now(): Promise<number>;
  /** Moves the chain's clock forward and mines a block (evm_increaseTime + evm_mine). */
  travel(seconds: number): Promise<void>;
  /** Gives `address` gas money from Hardhat account 9 when it has less than 0.05 ETH. */
  fund(address: string): Promise<boolean>;
  /** The owner of `from`'s token gives it to `to` (transferFrom, signed by the collector). */
  gift(from: HDNodeWallet, to: string, tokenId: string, rightsAddress: string): Promise<string>;
  close(): void;
}

export function connectLocalChain(rpcUrl: string): LocalChain {
  // No response cache: the clock is read right after travelling and sending (ethers caches 250 ms by default).
  const provider = new JsonRpcProvider(rpcUrl, undefined, { batchMaxCount: 1, cacheTimeout: -1 });
  const funder = devWallet(FUNDER_INDEX).connect(provider);
  return {
    provider,
    async now() {
      const block = await provider.getBlock("latest");
      return block!.timestamp;
    },
    async travel(seconds) {
      try {
        await provider.send("evm_increaseTime", [seconds]);
        await provider.send("evm_mine", []);
      } catch (e) {
        throw new Error(`this chain does not travel in time (evm_increaseTime): ${(e as Error).message.slice(0, 120)}`);
      }
    },
    async fund(address) {
      if ((await provider.getBalance(address)) >= parseEther("0.05")) return false;
      await (await funder.sendTransaction({ to: address, value: parseEther("1") })).wait();
      return true;
    },
    async gift(from, to, tokenId, rightsAddress) {
      const rights = CollectibleRights__factory.connect(rightsAddress, from.connect(provider));
      const receipt = await (await rights.transferFrom(from.address, to, tokenId)).wait();
      return receipt!.hash;
    },
    close() {
      provider.destroy();
    },
  };
}
