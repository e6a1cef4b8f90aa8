// Typed backend calls. The method name picks its params and its result from the generated
// `Requests` (built from the backend's routes/, exported through the schema), so a wrong params
// object or a wrong result type does not compile. No `vscode` import: runs.ts and the tests use it too.
import { CancellationToken } from "vscode-jsonrpc";
import type { Requests } from "./protocol";

export type RequestMethod = keyof Requests;
export type ParamsOf<M extends RequestMethod> = Requests[M]["params"];
export type ResultOf<M extends RequestMethod> = Requests[M]["result"];

/** Anything that sends JSON-RPC requests: vscode-languageclient's client, a vscode-jsonrpc connection. */
export interface Connection {
  sendRequest<R>(method: string, params: unknown, token: CancellationToken): Promise<R>;
}

/**
 * Sends `method` with its params; resolves to its result. Always with a token: vscode-jsonrpc
 * would send `(params, undefined)` as the two-element array `[params, null]`.
 */
export function request<M extends RequestMethod>(
  conn: Connection,
  method: M,
  params: ParamsOf<M>,
  token: CancellationToken = CancellationToken.None,
): Promise<ResultOf<M>> {
  return conn.sendRequest<ResultOf<M>>(method, params, token);
}
