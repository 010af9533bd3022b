import { API } from "../../shared/api";
import { implement } from "../http/route";
import { VERSION } from "../system/version";
import { getAccount } from "./accounts";
import { listCollections, listCollectionTokens } from "./collections";
import { listEvents, listRoles } from "./events";
import { identityHistory, listIdentities } from "./identities";
import { search } from "./search";

export const queryRoutes = [
  implement(API.listCollections, ({ services, query }) => listCollections(services, query)),
  implement(API.listCollectionTokens, ({ services, params, query }) => listCollectionTokens(services, params.id, query)),
  implement(API.getAccount, ({ services, params, query }) => getAccount(services, params.address, query)),
  implement(API.listIdentities, ({ services, query }) => listIdentities(services, query)),
  implement(API.identityHistory, ({ services, params }) => identityHistory(services, params.identityId)),
  implement(API.listEvents, ({ services, query }) => listEvents(services, query)),
  implement(API.listRoles, ({ services }) => listRoles(services)),
  implement(API.search, ({ services, query }) => search(services, query.q)),
  implement(API.network, async ({ services }) => {
    const d = services.chain.deployment;
    const status = await services.indexer.status();
    const c = d.contracts;
    return {
      chainId: d.chainId,
      network: d.network,
      contracts: {
        identityRegistry: { address: c.identityRegistry.address, deployBlock: c.identityRegistry.blockNumber },
        collectibleRights: { address: c.collectibleRights.address, deployBlock: c.collectibleRights.blockNumber },
        evidenceRegistry: { address: c.evidenceRegistry.address, deployBlock: c.evidenceRegistry.blockNumber },
      },
      head: status.head,
      indexedBlock: status.indexedBlock,
      lag: status.lag,
      confirmations: services.config.CONFIRMATIONS,
      ipfs: services.ipfs.kind,
      store: services.store.kind,
      gatewayVersion: VERSION,
    };
  }),
];
