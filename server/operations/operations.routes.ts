import { API } from "../../shared/api";
import { AppError } from "../errors";
import { implement } from "../http/route";

export const operationRoutes = [
  implement(API.getOperation, async ({ services, params, auth }) => {
    const op = await services.operations.get(params.id);
    // Issuers and attestors see their own operations only; auditors, regulators and admins see all.
    const own = auth!.role === "auditor" || auth!.role === "regulator" || auth!.role === "admin" || (await services.operations.actorOf(params.id)) === auth!.id;
    if (!op || !own) throw new AppError("OPERATION_NOT_FOUND", { operationId: params.id });
    return op;
  }),
];
