import type { NextApiRequest, NextApiResponse } from "next";
import { AppError } from "../errors";
import type { MethodHandler } from "../http/apiRoute";
import type { SessionReader } from "./mirror/sessionRoute";

/** A confirmed session as an API route receives it: the user, their ids and a fresh access token (server-side only). */
export type SignedIn = Extract<Awaited<ReturnType<SessionReader["read"]>>, { status: "signed-in" }>;

/**
 * Runs `handler` only for a confirmed session: signed out or ended answers 401 SESSION_ENDED; a session that cannot
 * be confirmed answers 503 with what did not answer (STORE_UNAVAILABLE or KEYCLOAK_UNAVAILABLE).
 */
export function withSignedIn(
  sessions: () => SessionReader,
  handler: (req: NextApiRequest, res: NextApiResponse, session: SignedIn) => Promise<void>,
): MethodHandler {
  return async (req, res) => {
    const read = await sessions().read(req, res);
    if (read.status === "signed-out") throw new AppError("SESSION_ENDED", `Not signed in (${read.reason})`);
    if (read.status === "unavailable") throw new AppError(read.code, "The session could not be confirmed");
    await handler(req, res, read);
  };
}
