import { useRouter } from "next/router";
import { useEffect } from "react";

/**
 * Once a page is shown, takes a one-time query flag (e.g. `?reauth=…`, which the re-authentication round trip adds)
 * out of the address bar, so a bookmark, a copied link or a reload does not carry it. Shallow: the page stays.
 */
export function useDropQueryFlag(name: string): void {
  const router = useRouter();
  const present = router.query?.[name] !== undefined;
  useEffect(() => {
    if (!present) return;
    const url = new URL(window.location.href);
    url.searchParams.delete(name);
    void router.replace(`${url.pathname}${url.search}${url.hash}`, undefined, { shallow: true, scroll: false });
  }, [present, name, router]);
}
