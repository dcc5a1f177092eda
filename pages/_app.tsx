import type { AppProps } from "next/app";
import type { Session } from "next-auth";
import { SessionProvider } from "next-auth/react";
import { LiveSessionProvider } from "@/components/LiveSession";
import "@/styles/globals.css";

const SESSION_REFETCH_INTERVAL_S = 300;

export default function App({ Component, pageProps: { session, ...pageProps } }: AppProps<{ session?: Session | null }>) {
  return (
    // The interval is the fallback where a proxy blocks the live channel (components/LiveSession.tsx), in seconds.
    <SessionProvider session={session} refetchInterval={SESSION_REFETCH_INTERVAL_S} refetchOnWindowFocus>
      <LiveSessionProvider>
        <Component {...pageProps} />
      </LiveSessionProvider>
    </SessionProvider>
  );
}
