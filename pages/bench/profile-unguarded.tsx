import type { GetServerSideProps } from "next";
import type { SessionUser } from "@/lib/nextauth/guardPage";
import { getAuth } from "@/lib/processAuth";
import Profile from "../profile";

/**
 * The benchmark's twin of /profile (bench/run.mjs, row 2): the same page rendered server-side for a fixed placeholder
 * user, without reading the session, so the difference between the two is what the guard costs. It shows no real data,
 * and only where BENCH_PAGES=true (npm run bench sets it): anywhere else it is a 404.
 */
export default Profile;

const PLACEHOLDER_USER: SessionUser = {
  name: "Benchmark placeholder",
  email: "placeholder@example.invalid",
  image: null,
  realmRoles: ["user"],
  clientRoles: ["viewer"],
  authTime: null,
};

export const getServerSideProps: GetServerSideProps<{ user: SessionUser }> = async () =>
  getAuth().env.BENCH_PAGES ? { props: { user: PLACEHOLDER_USER } } : { notFound: true };
