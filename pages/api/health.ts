import type { NextApiRequest, NextApiResponse } from "next";

/** Liveness for load balancers; also the benchmark's bare-route baseline. */
export default function health(_req: NextApiRequest, res: NextApiResponse) {
  res.status(200).json({ status: "ok" });
}
